import type { CID } from 'multiformats/cid'
import { cidFromValidBytes } from './cid-bytes.ts'
import { call, copyOut, resultOf, scratch, wasm } from './module.ts'

/** A CAR's header as the module reads it. Offsets are file offsets. */
export interface CarHeaderInfo {
  version: 1 | 2
  roots: CID[]
  /** Where the first section starts. */
  sectionsStart: number
  /** Where the sections end (CARv2's data payload); undefined for CARv1: at the end of file. */
  sectionsEnd?: number
}

/** A block as framed by the module: its CID is valid; its bytes are not verified yet. */
export interface CarBlock {
  cid: CID
  bytes: Uint8Array<ArrayBuffer>
  /** File offset of the block's section (its length prefix). */
  offset: number
  /** File offset of the block's bytes. */
  blockOffset: number
}

/** What one `carSections` call read. */
export interface CarSectionsResult {
  /** Blocks, in file order. */
  blocks: CarBlock[]
  /** The unread tail of the input (an incomplete section), to be continued by the next chunk. */
  rest: Uint8Array<ArrayBuffer>
}

function u32 (view: DataView, at: number): number {
  return view.getUint32(at, true)
}

/** Copies `chunks` back to back into module memory; returns the address and total length. */
function copyChunksIn (chunks: readonly Uint8Array[]): [number, number] {
  const total = chunks.reduce((n, c) => n + c.length, 0)
  const ptr = scratch(total)
  const memory = new Uint8Array(wasm().memory.buffer)
  let at = ptr
  for (const chunk of chunks) {
    memory.set(chunk, at)
    at += chunk.length
  }
  return [ptr, total]
}

/**
 * Reads a CAR header (v1, or v2 and its inner v1) from the first bytes of a file. Returns
 * undefined while more bytes are needed; with `atEof`, a short file is a `CarTruncatedError`.
 * Throws `CarFormatError` for a malformed header.
 */
export function carHeader (bytes: Uint8Array, atEof: boolean): CarHeaderInfo | undefined {
  const [ptr, len] = copyChunksIn([bytes])
  const out = resultOf(call(w => w.car_header(ptr, len, atEof)))
  if (out.length === 0) return undefined
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength)
  const end = view.getFloat64(9, true)
  const roots: CID[] = []
  for (let at = 21, i = 0; i < u32(view, 17); i++) {
    const cidLength = u32(view, at)
    roots.push(cidFromValidBytes(out.slice(at + 4, at + 4 + cidLength)))
    at += 4 + cidLength
  }
  return {
    version: out[0] as 1 | 2,
    roots,
    sectionsStart: view.getFloat64(1, true),
    ...(end < 0 ? {} : { sectionsEnd: end })
  }
}

/**
 * Returns the complete sections at the start of `chunks` (taken as one run of bytes starting
 * at file offset `fileOffset`), with valid CIDs; their bytes are verified by the caller (the
 * one block verifier, `content/hashing.ts`). Throws `CarFormatError` or `CarTruncatedError`
 * (only with `atEof`), with file offsets.
 */
export function carSections (chunks: readonly Uint8Array[], atEof: boolean, fileOffset: number): CarSectionsResult {
  const [ptr, len] = copyChunksIn(chunks)
  const out = resultOf(call(w => w.car_sections(ptr, len, atEof, fileOffset)))
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength)
  const consumed = u32(view, 0)
  const count = u32(view, 4)
  const blocks: CarBlock[] = new Array(count)
  // Sections are contiguous: each starts where the previous one's bytes end.
  let sectionStart = 0
  for (let i = 0; i < count; i++) {
    const cidStart = u32(view, 8 + i * 12)
    const cidLength = u32(view, 12 + i * 12)
    const dataLength = u32(view, 16 + i * 12)
    const dataStart = cidStart + cidLength
    blocks[i] = {
      cid: cidFromValidBytes(copyOut(ptr + cidStart, cidLength)),
      bytes: copyOut(ptr + dataStart, dataLength),
      offset: fileOffset + sectionStart,
      blockOffset: fileOffset + dataStart
    }
    sectionStart = dataStart + dataLength
  }
  return { blocks, rest: copyOut(ptr + consumed, len - consumed) }
}
