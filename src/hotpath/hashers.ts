import { from } from 'multiformats/hashes/hasher'
import { blake3, sha256 } from './digests.ts'

/**
 * From this size on, the sha2-256 hasher uses `crypto.subtle` (native, SHA-NI) instead of the
 * WASM module. Measured in Chromium 156 (`npm run bench`): at 1 KiB the two tie (~140 MiB/s,
 * the Promise and call overhead of `subtle.digest` eat its speed); at 4 KiB subtle is 2.2×
 * faster (624 vs 272 MiB/s) and the gap grows to 5× at 64 KiB.
 */
export const SUBTLE_SHA256_THRESHOLD = 4 * 1024

const subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle

/** multiformats sha2-256 hasher (0x12) on the WASM module, `crypto.subtle` for large blocks. */
export const sha256Hasher = from({
  name: 'sha2-256',
  code: 0x12,
  encode: (bytes: Uint8Array): Uint8Array<ArrayBuffer> | Promise<Uint8Array<ArrayBuffer>> => {
    if (subtle !== undefined && bytes.length >= SUBTLE_SHA256_THRESHOLD) {
      return subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>).then(d => new Uint8Array(d))
    }
    return sha256(bytes)
  }
})

/** multiformats blake3 hasher (0x1e, 32-byte digests) on the WASM module. */
export const blake3Hasher = from({ name: 'blake3', code: 0x1e, encode: blake3 })
