import { call, copyIn, copyOut, scratch, wasm } from './module.ts'

const DIGEST_LENGTH = 32

/** SHA-256 digest (32 bytes) of `bytes`. */
export function sha256 (bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const ptr = copyIn(bytes, DIGEST_LENGTH)
  call(w => w.sha256_digest(ptr, bytes.length, ptr + bytes.length))
  return copyOut(ptr + bytes.length, DIGEST_LENGTH)
}

/** BLAKE3 digest (32 bytes) of `bytes`. */
export function blake3 (bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const ptr = copyIn(bytes, DIGEST_LENGTH)
  call(w => w.blake3_digest(ptr, bytes.length, ptr + bytes.length))
  return copyOut(ptr + bytes.length, DIGEST_LENGTH)
}

function hashMany (blocks: readonly Uint8Array[], which: 'sha256_many' | 'blake3_many'): Array<Uint8Array<ArrayBuffer>> {
  const total = blocks.reduce((sum, b) => sum + b.length, 0)
  const lensAt = (total + 3) & ~3
  const outAt = lensAt + blocks.length * 4
  const base = scratch(outAt + blocks.length * DIGEST_LENGTH)
  const w = wasm()
  const memory = new Uint8Array(w.memory.buffer)
  const lens = new Uint32Array(w.memory.buffer, base + lensAt, blocks.length)
  let offset = base
  blocks.forEach((block, i) => {
    memory.set(block, offset)
    offset += block.length
    lens[i] = block.length
  })
  call(m => m[which](base, base + lensAt, blocks.length, base + outAt))
  const out = copyOut(base + outAt, blocks.length * DIGEST_LENGTH)
  return blocks.map((_, i) => out.subarray(i * DIGEST_LENGTH, (i + 1) * DIGEST_LENGTH))
}

/** SHA-256 digests of many blocks in one call into the module. */
export function sha256Many (blocks: readonly Uint8Array[]): Array<Uint8Array<ArrayBuffer>> {
  return hashMany(blocks, 'sha256_many')
}

/** BLAKE3 digests of many blocks in one call into the module. */
export function blake3Many (blocks: readonly Uint8Array[]): Array<Uint8Array<ArrayBuffer>> {
  return hashMany(blocks, 'blake3_many')
}
