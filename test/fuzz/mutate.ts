import type { Rng } from './rng.ts'

/** Byte values that sit on the edges of CBOR heads, varints and protobuf keys. */
const INTERESTING = [0x00, 0x01, 0x0a, 0x12, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1f, 0x20, 0x2f, 0x40, 0x5f, 0x7f, 0x80, 0x81, 0x9b, 0x9f, 0xa1, 0xbf, 0xd8, 0x2a, 0xf4, 0xf6, 0xf7, 0xfb, 0xff]

/**
 * Applies one to four random edits to a copy of `input`: flip a bit, set an interesting
 * byte, insert or delete bytes, duplicate a run, or splice in a run of `donor`.
 */
export function mutate (rng: Rng, input: Uint8Array, donor?: Uint8Array): Uint8Array {
  let out = Array.from(input)
  const edits = 1 + rng.below(4)
  for (let e = 0; e < edits; e++) {
    const at = rng.below(out.length + 1)
    switch (rng.below(7)) {
      case 0: if (out.length > 0) out[at % out.length] ^= 1 << rng.below(8); break
      case 1: if (out.length > 0) out[at % out.length] = rng.pick(INTERESTING); break
      case 2: out.splice(at, 0, ...rng.bytes(1 + rng.below(4))); break
      case 3: out.splice(at, 1 + rng.below(8)); break
      case 4: {
        const len = 1 + rng.below(16)
        out.splice(at, 0, ...out.slice(at, at + len))
        break
      }
      case 5: out = out.slice(0, at); break
      default: if (donor !== undefined && donor.length > 0) {
        const from = rng.below(donor.length)
        out.splice(at, rng.below(8), ...donor.subarray(from, from + 1 + rng.below(32)))
      }
    }
  }
  return Uint8Array.from(out)
}
