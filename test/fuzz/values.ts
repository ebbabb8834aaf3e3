import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import type { Rng } from './rng.ts'

const STRINGS = ['', '/', 'bytes', 'a', 'Links', 'Hash', 'é', '\u0000', '😀', 'ab', 'b', '0', 'hello world']

function randomString (rng: Rng): string {
  if (rng.chance(0.6)) return rng.pick(STRINGS)
  let s = ''
  for (let i = rng.below(12); i > 0; i--) s += String.fromCodePoint(rng.chance(0.8) ? 0x20 + rng.below(0x5f) : 0xa0 + rng.below(0x2000))
  return s
}

/** A random CID: v0 or v1, a few codecs, sha2-256-sized or identity digests. */
export function randomCid (rng: Rng): CID {
  if (rng.chance(0.2)) return CID.createV0(Digest.create(0x12, rng.bytes(32)))
  const code = rng.pick([0x55, 0x70, 0x71, 0x0129, 0x12345])
  const digest = rng.chance(0.8) ? Digest.create(rng.pick([0x12, 0x1e]), rng.bytes(32)) : Digest.create(0x00, rng.bytes(rng.below(8)))
  return CID.createV1(code, digest)
}

function randomInt (rng: Rng): number | bigint {
  switch (rng.below(4)) {
    case 0: return rng.below(30) - 10
    case 1: return rng.u32() - 0x8000_0000
    case 2: return rng.pick([23, 24, 255, 256, 65535, 65536, 2 ** 32, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER])
    default: return rng.pick([2n ** 64n - 1n, -(2n ** 64n), 2n ** 60n, -(2n ** 53n) - 7n])
  }
}

/** A random IPLD data-model value as the `@ipld` codecs take it, up to `depth` levels deep. */
export function randomValue (rng: Rng, depth = 4): unknown {
  const kinds = depth > 0 ? 9 : 7
  switch (rng.below(kinds)) {
    case 0: return null
    case 1: return rng.chance(0.5)
    case 2: return randomInt(rng)
    case 3: return rng.pick([0.5, -1.25, 1e300, 5e-324, 1.5e-7, 123456.789, -0])
    case 4: return randomString(rng)
    case 5: return rng.bytes(rng.below(20))
    case 6: return randomCid(rng)
    case 7: return Array.from({ length: rng.below(5) }, () => randomValue(rng, depth - 1))
    default: {
      const map: Record<string, unknown> = {}
      for (let i = rng.below(5); i > 0; i--) map[randomString(rng)] = randomValue(rng, depth - 1)
      return map
    }
  }
}
