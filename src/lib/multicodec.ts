/**
 * The one table of multicodec codes Cairn uses (from the multicodec table): codecs of blocks
 * and hash functions, by name. Every part of the app — node, gateway, inspector — reads codes
 * and names from here; the Rust module's constants are pinned against it by a test.
 */
export const CODECS = {
  raw: 0x55,
  'dag-pb': 0x70,
  'dag-cbor': 0x71,
  'dag-json': 0x0129,
  json: 0x0200,
  cbor: 0x51,
  'libp2p-key': 0x72,
  'git-raw': 0x78
} as const

/** A codec name in the table. */
export type KnownCodec = keyof typeof CODECS

/** Hash functions by multihash code name. */
export const HASHES = {
  identity: 0x00,
  'sha2-256': 0x12,
  'sha2-512': 0x13,
  'sha3-256': 0x16,
  blake3: 0x1e,
  'blake2b-256': 0xb220
} as const

const codecNames = new Map<number, KnownCodec>(Object.entries(CODECS).map(([name, code]) => [code, name as KnownCodec]))
const hashNames = new Map<number, string>(Object.entries(HASHES).map(([name, code]) => [code, name]))

/** The name of a codec code, or undefined when the table does not have it. */
export function codecNameOf (code: number): KnownCodec | undefined {
  return codecNames.get(code)
}

/** The name of a multihash code, or undefined when the table does not have it. */
export function hashNameOf (code: number): string | undefined {
  return hashNames.get(code)
}
