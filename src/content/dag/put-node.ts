import { CID } from 'multiformats/cid'
import { base64 } from 'multiformats/bases/base64'
import { dagCborToDagJson, dagJsonToDagCbor, DagJsonParseError } from '../../hotpath/index.ts'
import { codecCode, type CodecName } from '../codecs.ts'
import { hasherFor } from '../hashing.ts'
import { UnknownCodecError } from '../errors.ts'
import type { Blocks } from '../blocks.ts'

/** A hash function the user can choose for new nodes. */
export type HashName = 'sha2-256' | 'blake3'

const hashCodes: Record<HashName, number> = { 'sha2-256': 0x12, blake3: 0x1e }

/** What to store: DAG-JSON text, the codec to store it with and the hash for its CID. */
export interface PutNodeInput {
  json: string
  codec?: Exclude<CodecName, 'dag-pb'>
  hash?: HashName
}

/** The bytes of a raw block given as DAG-JSON: a bytes form or a string (stored as UTF-8). */
function rawBytes (json: string): Uint8Array {
  const canonical = dagCborToDagJson(dagJsonToDagCbor(json))
  const value: unknown = JSON.parse(canonical)
  if (typeof value === 'string') return new TextEncoder().encode(value)
  const bytes = (value as { '/'?: { bytes?: unknown } } | null)?.['/']?.bytes
  if (typeof bytes === 'string') return base64.baseDecode(bytes)
  throw new DagJsonParseError('a raw block holds bytes: enter {"/": {"bytes": "<base64>"}} or a string')
}

/** Encodes a block from DAG-JSON text with the hot path. */
export function encodeNode (json: string, codec: PutNodeInput['codec'] = 'dag-cbor'): Uint8Array {
  switch (codec) {
    case 'dag-cbor': return dagJsonToDagCbor(json)
    case 'dag-json': return new TextEncoder().encode(dagCborToDagJson(dagJsonToDagCbor(json)))
    case 'raw': return rawBytes(json)
    default: throw new UnknownCodecError(`cannot create "${String(codec)}" nodes (use dag-cbor, dag-json or raw)`)
  }
}

/** Encodes, hashes and stores a node; returns its CIDv1 and block size. */
export async function putNode (blocks: Blocks, input: PutNodeInput): Promise<{ cid: CID, size: number }> {
  const codec = input.codec ?? 'dag-cbor'
  const bytes = encodeNode(input.json, codec)
  const hash = input.hash ?? 'sha2-256'
  if (!(hash in hashCodes)) throw new DagJsonParseError(`unknown hash "${hash}" (use sha2-256 or blake3)`)
  const digest = await hasherFor(hashCodes[hash]).digest(bytes)
  const cid = CID.createV1(codecCode(codec), digest)
  await blocks.put(cid, bytes)
  return { cid, size: bytes.length }
}
