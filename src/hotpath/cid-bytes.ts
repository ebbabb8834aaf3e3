import { CID } from 'multiformats/cid'
import { Digest } from 'multiformats/hashes/digest'

/** Reads a varint the module has already validated; returns value and length. */
function varint (bytes: Uint8Array, at: number): [number, number] {
  let value = 0
  let shift = 1
  for (let i = at; ; i++) {
    value += (bytes[i] & 0x7f) * shift
    if (bytes[i] < 0x80) return [value, i + 1 - at]
    shift *= 128
  }
}

/**
 * Builds a CID from bytes the module has validated, without parsing them a second time
 * (`CID.decode` would; it costs more than the whole WASM walk for link-heavy blocks).
 */
export function cidFromValidBytes (bytes: Uint8Array): CID {
  if (bytes.length === 34 && bytes[0] === 0x12 && bytes[1] === 0x20) {
    return new CID(0, 0x70, new Digest(0x12, 32, bytes.subarray(2), bytes), bytes)
  }
  const [, versionLength] = varint(bytes, 0)
  const [codec, codecLength] = varint(bytes, versionLength)
  const hashAt = versionLength + codecLength
  const [hashCode, hashCodeLength] = varint(bytes, hashAt)
  const [size, sizeLength] = varint(bytes, hashAt + hashCodeLength)
  const digestAt = hashAt + hashCodeLength + sizeLength
  const multihash = new Digest(hashCode, size, bytes.subarray(digestAt), bytes.subarray(hashAt))
  return new CID(1, codec, multihash, bytes)
}
