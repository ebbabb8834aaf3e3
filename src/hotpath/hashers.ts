import { from } from 'multiformats/hashes/hasher'
import { blake3, sha256 } from './digests.ts'

/**
 * From this size on, the sha2-256 hasher uses `crypto.subtle` (native, SHA-NI) instead of the
 * WASM module: below it the Promise and call overhead of `subtle.digest` lose. Chosen from
 * `npm run bench` (see README, "Benchmarks").
 */
export const SUBTLE_SHA256_THRESHOLD = 16 * 1024

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
