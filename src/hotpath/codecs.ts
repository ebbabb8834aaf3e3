import { CID } from 'multiformats/cid'
import { Digest } from 'multiformats/hashes/digest'
import { copyIn, resultOf, scratch, wasm } from './module.ts'

const decoder = new TextDecoder()
const encoder = new TextEncoder()

/** Strict DAG-CBOR block → DAG-JSON text. Throws `DagCborDecodeError`. */
export function dagCborToDagJson (block: Uint8Array): string {
  const ptr = copyIn(block)
  return decoder.decode(resultOf(wasm().cbor_to_json(ptr, block.length)))
}

/** Strict DAG-JSON text → canonical DAG-CBOR block. Throws `DagJsonParseError`. */
export function dagJsonToDagCbor (text: string): Uint8Array<ArrayBuffer> {
  const room = text.length * 3
  const ptr = scratch(room)
  const { written } = encoder.encodeInto(text, new Uint8Array(wasm().memory.buffer, ptr, room))
  return resultOf(wasm().json_to_cbor(ptr, written)).slice()
}

/** DAG-PB block → DAG-JSON text of its data-model form. Throws `DagPbDecodeError`. */
export function dagPbToDagJson (block: Uint8Array): string {
  const ptr = copyIn(block)
  return decoder.decode(resultOf(wasm().pb_to_json(ptr, block.length)))
}

/**
 * The CIDs a block links to, read according to `cid`'s codec (dag-cbor, dag-pb, dag-json;
 * raw has none). Throws the codec's decode error, or `InvalidArgumentError` for other codecs.
 */
export function blockLinks (cid: CID, block: Uint8Array): CID[] {
  const ptr = copyIn(block)
  // One copy of the whole result; each CID is a view into it.
  const out = resultOf(wasm().links(cid.code, ptr, block.length)).slice()
  const links: CID[] = []
  for (let at = 0; at < out.length;) {
    const len = out[at] | (out[at + 1] << 8) | (out[at + 2] << 16) | (out[at + 3] << 24)
    links.push(cidFromValidBytes(out.subarray(at + 4, at + 4 + len)))
    at += 4 + len
  }
  return links
}

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
function cidFromValidBytes (bytes: Uint8Array): CID {
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
