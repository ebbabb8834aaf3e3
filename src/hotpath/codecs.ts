import type { CID } from 'multiformats/cid'
import { cidFromValidBytes } from './cid-bytes.ts'
import { call, copyIn, resultOf, scratch, wasm } from './module.ts'

const decoder = new TextDecoder()
const encoder = new TextEncoder()

/**
 * Strict DAG-CBOR block → DAG-JSON text. Throws `DagCborDecodeError`, or `DagJsonEncodeError`
 * for data DAG-JSON cannot represent (maps in its reserved namespace, such as `{"/": "…"}`).
 */
export function dagCborToDagJson (block: Uint8Array): string {
  const ptr = copyIn(block)
  return decoder.decode(resultOf(call(w => w.cbor_to_json(ptr, block.length))))
}

/**
 * Strict DAG-CBOR block → CBOR diagnostic notation (RFC 8949 §8): how to show data that
 * DAG-JSON cannot represent (`dagCborToDagJson` throws `DagJsonEncodeError` for it).
 */
export function dagCborToDiagnostic (block: Uint8Array): string {
  const ptr = copyIn(block)
  return decoder.decode(resultOf(call(w => w.cbor_to_diagnostic(ptr, block.length))))
}

/** Strict DAG-JSON text → canonical DAG-CBOR block. Throws `DagJsonParseError`. */
export function dagJsonToDagCbor (text: string): Uint8Array<ArrayBuffer> {
  const room = text.length * 3
  const ptr = scratch(room)
  const { written } = encoder.encodeInto(text, new Uint8Array(wasm().memory.buffer, ptr, room))
  return resultOf(call(w => w.json_to_cbor(ptr, written))).slice()
}

/** DAG-PB block → DAG-JSON text of its data-model form. Throws `DagPbDecodeError`. */
export function dagPbToDagJson (block: Uint8Array): string {
  const ptr = copyIn(block)
  return decoder.decode(resultOf(call(w => w.pb_to_json(ptr, block.length))))
}

/**
 * The CIDs a block links to, read according to `cid`'s codec (dag-cbor, dag-pb, dag-json;
 * raw has none). Throws the codec's decode error, or `InvalidArgumentError` for other codecs.
 */
export function blockLinks (cid: CID, block: Uint8Array): CID[] {
  const ptr = copyIn(block)
  // One copy of the whole result; each CID is a view into it.
  const out = resultOf(call(w => w.links(cid.code, ptr, block.length))).slice()
  const links: CID[] = []
  for (let at = 0; at < out.length;) {
    const len = out[at] | (out[at + 1] << 8) | (out[at + 2] << 16) | (out[at + 3] << 24)
    links.push(cidFromValidBytes(out.subarray(at + 4, at + 4 + len)))
    at += 4 + len
  }
  return links
}
