import { identity } from 'multiformats/hashes/identity'
import { sha512 } from 'multiformats/hashes/sha2'
import type { CID } from 'multiformats/cid'
import type { MultihashHasher } from 'multiformats/hashes/interface'
import { blake3Hasher, sha256Hasher } from '../hotpath/index.ts'
import { BlockVerificationError, UnsupportedHashError } from './errors.ts'

/** The hash functions Cairn computes, by multihash code. */
export const hashers: ReadonlyMap<number, MultihashHasher<number>> = new Map<number, MultihashHasher<number>>([
  [sha256Hasher.code, sha256Hasher],
  [sha512.code, sha512],
  [blake3Hasher.code, blake3Hasher]
])

/** The hasher for a multihash code, or an `UnsupportedHashError`. */
export function hasherFor (code: number): MultihashHasher<number> {
  const hasher = hashers.get(code)
  if (hasher === undefined) throw new UnsupportedHashError(`hash function 0x${code.toString(16)} is not supported`)
  return hasher
}

function equalBytes (a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i])
}

/** Throws `BlockVerificationError` unless `bytes` hash to the digest in `cid`. */
export async function verifyBlock (cid: CID, bytes: Uint8Array): Promise<void> {
  const { code, digest } = cid.multihash
  if (code === identity.code) {
    if (!equalBytes(digest, bytes)) throw new BlockVerificationError(`identity CID ${cid} does not hold these bytes`)
    return
  }
  const actual = await hasherFor(code).digest(bytes)
  if (!equalBytes(actual.digest, digest)) {
    throw new BlockVerificationError(`block bytes do not match ${cid}`)
  }
}
