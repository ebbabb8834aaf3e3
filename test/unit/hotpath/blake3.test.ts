import { describe, expect, it } from 'vitest'
import { blake3 as referenceBlake3 } from 'hash-wasm'
import { blake3, ready } from '../../../src/hotpath/index.ts'

const toHex = (bytes: Uint8Array): string => Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('')

/** The official test vectors' inputs: byte `i` is `i % 251`. */
const vectorInput = (length: number): Uint8Array => Uint8Array.from({ length }, (_, i) => i % 251)

/** (input length, the default hash's first 32 bytes) from the BLAKE3 team's test_vectors.json. */
const VECTORS: Array<[number, string]> = [
  [0, 'af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262'],
  [1, '2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213'],
  [1024, '42214739f095a406f3fc83deb889744ac00df831c10daa55189b5d121c855af7'],
  [3073, '7124b49501012f81cc7f11ca069ec9226cecb8a2c850cfe644e327d22d3e1cd3'],
  [4096, '015094013f57a5277b59d8475c0501042c0b642e531b0a1c8f58d2163229e969'],
  [4097, '9b4052b38f1c5fc8b1f9ff7ac7b27cd242487b3d890d15c96a1c25b8aa0fb995'],
  [5121, '628bd2cb2004694adaab7bbd778a25df25c47b9d4155a55f8fbd79f2fe154cff'],
  [8193, 'bab6c09cb8ce8cf459261398d2e7aef35700bf488116ceb94a36d0f5f1b7bc3b'],
  [16384, 'f875d6646de28985646f34ee13be9a576fd515f76b5b0a26bb324735041ddde4'],
  [31744, '62b6960e1a44bcc1eb1a611a8d6235b6b4b78f32e7abc4fb4c6cdcce94895c47'],
  [102400, 'bc3e3d41a1146b069abffad3c0d44860cf664390afce4d9661f7902e7943e085']
]

describe("the WASM module's BLAKE3 (four chunks per SIMD128 vector)", () => {
  it('gives the official test vectors', async () => {
    await ready()
    for (const [length, expected] of VECTORS) expect(toHex(blake3(vectorInput(length))), `length ${length}`).toBe(expected)
  })

  it('matches hash-wasm around every group of four chunks and on seeded random inputs up to 1 MiB', async () => {
    await ready()
    let seed = 0x2545f491
    const next = (): number => {
      seed ^= seed << 13
      seed ^= seed >>> 17
      seed ^= seed << 5
      return seed >>> 0
    }
    const lengths = [...Array.from({ length: 34 }, (_, c) => [c * 1024 - 1, c * 1024, c * 1024 + 1]).flat().filter(n => n >= 0), ...Array.from({ length: 40 }, () => next() % (1 << 20))]
    for (const length of lengths) {
      const input = Uint8Array.from({ length }, () => next() & 0xff)
      expect(toHex(blake3(input)), `length ${length}`).toBe(await referenceBlake3(input))
    }
  })
})
