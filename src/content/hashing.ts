import { identity } from 'multiformats/hashes/identity'
import { sha512 } from 'multiformats/hashes/sha2'
import type { CID } from 'multiformats/cid'
import type { MultihashHasher } from 'multiformats/hashes/interface'
// The hot path's module directly (not its index), so Node.js tools can run this file as-is.
import { blake3Hasher, sha256Hasher } from '../hotpath/hashers.ts'
import { BlockHashMismatchError, UnsupportedMultihashError } from './errors.ts'

/** The hash functions Cairn computes, by multihash code. */
export const hashers: ReadonlyMap<number, MultihashHasher<number>> = new Map<number, MultihashHasher<number>>([
  [sha256Hasher.code, sha256Hasher],
  [sha512.code, sha512],
  [blake3Hasher.code, blake3Hasher]
])

/** The hasher for a multihash code, or an `UnsupportedMultihashError` (at `offset` in a file, if given). */
export function hasherFor (code: number, offset?: number): MultihashHasher<number> {
  const hasher = hashers.get(code)
  if (hasher === undefined) throw new UnsupportedMultihashError(`hash function 0x${code.toString(16)} is not supported`, offset)
  return hasher
}

function equalBytes (a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i])
}

/**
 * The one block verifier: throws `BlockHashMismatchError` unless `bytes` hash to the digest in
 * `cid` (`UnsupportedMultihashError` for a hash Cairn cannot compute). Every block from outside
 * — a CAR, a put, the network — passes here. sha2-256 takes the fastest route per size
 * (WASM for small blocks, `crypto.subtle` from 4 KiB); `offset` locates the block in a file.
 */
export async function verifyBlock (cid: CID, bytes: Uint8Array, offset?: number): Promise<void> {
  const { code, digest } = cid.multihash
  if (code === identity.code) {
    if (!equalBytes(digest, bytes)) throw new BlockHashMismatchError(`identity CID ${cid} does not hold these bytes`, offset)
    return
  }
  const actual = await hasherFor(code, offset).digest(bytes)
  if (!equalBytes(actual.digest, digest)) {
    throw new BlockHashMismatchError(`the block's bytes do not match the hash in ${cid}`, offset)
  }
}
