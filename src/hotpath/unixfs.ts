import type { CID } from 'multiformats/cid'
import { cidFromValidBytes } from './cid-bytes.ts'
import { HotpathError } from './errors.ts'
import { call, copyIn, holdInstance, resultOf, wasm } from './module.ts'

/** The CID profiles of IPIP-499 the importer builds. */
export type UnixfsProfile = 'unixfs-v0-2015' | 'unixfs-v1-2025'

/** Chunk size, leaf kind and CID version of each profile. */
export const PROFILES: Record<UnixfsProfile, { number: number, chunkSize: number, rawLeaves: boolean, cidVersion: 0 | 1 }> = {
  'unixfs-v0-2015': { number: 0, chunkSize: 256 * 1024, rawLeaves: false, cidVersion: 0 },
  'unixfs-v1-2025': { number: 1, chunkSize: 1024 * 1024, rawLeaves: true, cidVersion: 1 }
}

/** Bytes of one leaf record: the leaf block's SHA-256, then the chunk length (u32 LE). */
export const LEAF_RECORD_BYTES = 36

/** A block the importer made (a file or directory node). */
export interface UnixfsBlock {
  cid: CID
  bytes: Uint8Array
}

/** What one step produced: blocks, and the entry that ended (its CID and cumulative size). */
export interface UnixfsStep {
  blocks: UnixfsBlock[]
  entry?: { cid: CID, tsize: number }
}

function readStep (out: Uint8Array): UnixfsStep {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength)
  const blocks: UnixfsBlock[] = []
  const count = view.getUint32(0, true)
  let at = 4
  for (let i = 0; i < count; i++) {
    const cidLength = view.getUint32(at, true)
    const cid = cidFromValidBytes(out.slice(at + 4, at + 4 + cidLength))
    at += 4 + cidLength
    const length = view.getUint32(at, true)
    blocks.push({ cid, bytes: out.slice(at + 4, at + 4 + length) })
    at += 4 + length
  }
  if (at === out.length) return { blocks }
  const cidLength = view.getUint32(at, true)
  const cid = cidFromValidBytes(out.slice(at + 4, at + 4 + cidLength))
  return { blocks, entry: { cid, tsize: view.getFloat64(at + 4 + cidLength, true) } }
}

const encoder = new TextEncoder()

/**
 * One UnixFS import in the WASM module: files and folders fed depth first, blocks out. The
 * caller chunks each file by the profile's chunk size, hashes each leaf block (see
 * `leafFrame`) and pushes the digests; the module frames, lays out, encodes and hashes every
 * node. Holds the module instance until `free()`, which must be called exactly once.
 */
export class UnixfsBuilder {
  readonly profile: UnixfsProfile
  private handle: number
  private readonly release: () => void
  private readonly frames = new Map<number, { prefix: Uint8Array, suffix: Uint8Array }>()

  constructor (profile: UnixfsProfile) {
    this.profile = profile
    this.release = holdInstance()
    const handle = call(w => w.unixfs_new(PROFILES[profile].number)) >>> 0
    if (handle === 0) {
      this.release()
      resultOf(-1)
    }
    this.handle = handle
  }

  /**
   * The bytes around a chunk of `length` bytes that make its leaf block, `prefix ++ chunk ++
   * suffix` (both empty for raw leaves). Remembered per length: most chunks are full.
   */
  leafFrame (length: number): { prefix: Uint8Array, suffix: Uint8Array } {
    let frame = this.frames.get(length)
    if (frame === undefined) {
      const out = resultOf(call(w => w.unixfs_leaf_frame(this.live(), length)))
      const prefixLength = new DataView(out.buffer, out.byteOffset).getUint32(0, true)
      frame = { prefix: out.slice(4, 4 + prefixLength), suffix: out.slice(4 + prefixLength) }
      if (this.frames.size < 4) this.frames.set(length, frame)
    }
    return frame
  }

  /** Adds leaves of the current file: `LEAF_RECORD_BYTES`-byte records back to back. */
  pushLeaves (records: Uint8Array): UnixfsStep {
    const ptr = copyIn(records)
    return readStep(resultOf(call(w => w.unixfs_push(this.live(), ptr, records.length))))
  }

  /** Ends the current file under `name` in the open folder. */
  fileEnd (name: string): UnixfsStep {
    const bytes = encoder.encode(name)
    const ptr = copyIn(bytes)
    return readStep(resultOf(call(w => w.unixfs_file_end(this.live(), ptr, bytes.length))))
  }

  /** Opens a folder named `name` in the open one. */
  dirBegin (name: string): void {
    const bytes = encoder.encode(name)
    const ptr = copyIn(bytes)
    resultOf(call(w => w.unixfs_dir_begin(this.live(), ptr, bytes.length)))
  }

  /** Closes the open folder. */
  dirEnd (): UnixfsStep {
    return readStep(resultOf(call(w => w.unixfs_dir_end(this.live()))))
  }

  /** Ends the import: the root is a directory of everything (`wrap`) or the one thing added. */
  finish (wrap: boolean): UnixfsStep {
    return readStep(resultOf(call(w => w.unixfs_finish(this.live(), wrap ? 1 : 0))))
  }

  /** Frees the import in the module. Safe to call more than once. */
  free (): void {
    if (this.handle === 0) return
    const handle = this.handle
    this.handle = 0
    try {
      wasm().unixfs_free(handle)
    } finally {
      this.release()
    }
  }

  private live (): number {
    if (this.handle === 0) throw new HotpathError('this UnixFS import was already freed')
    return this.handle
  }
}
