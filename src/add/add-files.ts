import { logger } from '@libp2p/logger'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { create as createDigest } from 'multiformats/hashes/digest'
import { concat } from 'uint8arrays/concat'
import type { JournaledBlockstore } from '../content/blockstore/journaled-blockstore.ts'
import type { StoreLock } from '../content/blockstore/store-lock.ts'
import type { ImportLog, ImportRecord } from '../content/imports/import-log.ts'
import { commitImport, rollBackImport } from '../content/imports/journal.ts'
import { LEAF_RECORD_BYTES, PROFILES, sha256Hasher, UnixfsBuilder, UnixfsInputError, type UnixfsProfile, type UnixfsStep } from '../hotpath/index.ts'
import { FixedSizeChunker } from './chunker.ts'
import { buildAddTree, type AddEntry, type AddFile, type AddFolder, type AddTree } from './add-tree.ts'

const log = logger('cairn:unixfs:add')

/** Progress of a running addition. */
export interface AddProgress {
  bytes: number
  totalBytes: number
  files: number
  totalFiles: number
  /** The file being read. */
  current?: string
}

/** What a finished addition reports. */
export interface AddSummary {
  id: string
  root: string
  profile: UnixfsProfile
  /** Whether the root is a directory wrapping what was given. */
  wrapped: boolean
  files: number
  folders: number
  /** File bytes read. */
  bytes: number
  /** Blocks of the DAG (leaves and nodes) and how many of them were not stored before. */
  blocks: number
  newBlocks: number
  newBytes: number
  ms: number
}

/** Options for `addFiles`. */
export interface AddOptions {
  blockstore: JournaledBlockstore
  imports: ImportLog
  /** Held shared for the whole addition, so garbage collection cannot run meanwhile. */
  lock: StoreLock
  /** Shown in the import list and as the pin's name. */
  name: string
  /** The CID profile; `unixfs-v1-2025` by default. */
  profile?: UnixfsProfile
  /** Wrap in a directory; by default when more than one file or folder is given. */
  wrap?: boolean
  onProgress?: (progress: AddProgress) => void
  signal?: AbortSignal
  /** Runs once the addition has committed, still under the store lock (the node pins here). */
  afterCommit?: (summary: AddSummary) => Promise<void>
}

/** A file could not be read to the end: moved, deleted or changed on disk while being added. */
export class FileReadError extends Error {
  override name = 'FileReadError'
}

/** Blocks are written once this many bytes or blocks wait, one transaction at a time. */
const BATCH_BYTES = 8 * 1024 * 1024
const BATCH_BLOCKS = 512
/** Leaves hashed at once: `crypto.subtle` runs them off the calling thread. */
const HASHING_AHEAD = 8
const PROGRESS_EVERY_MS = 100

/**
 * Adds files and folders as UnixFS, all or nothing, with the CIDs Kubo gives under the chosen
 * profile. Each file is streamed: cut into the profile's chunks, each leaf hashed (by
 * `crypto.subtle` from 4 KiB up), its digest handed to the WASM importer, which lays out the
 * file and builds every node and directory (HAMTs included). Blocks are written in batched
 * transactions, each marked in the import journal, while the next ones are read and hashed.
 * A failure, a file that cannot be read, or an abort takes back every block the addition
 * added; a Service Worker stopped mid-way has it rolled back at the next start.
 */
export async function addFiles (entries: Iterable<AddEntry>, options: AddOptions): Promise<AddSummary> {
  const tree = buildAddTree(entries)
  const top = tree.root.children.size
  const wrap = options.wrap ?? top > 1
  if (!wrap && top > 1) throw new UnixfsInputError(`${top} files and folders make one root only inside a directory: add them wrapped`)
  return options.lock.shared(async () => runAdd(tree, wrap, options))
}

async function runAdd (tree: AddTree, wrap: boolean, options: AddOptions): Promise<AddSummary> {
  const profile = options.profile ?? 'unixfs-v1-2025'
  const started = performance.now()
  const record: ImportRecord = { id: crypto.randomUUID(), name: options.name, state: 'running', kind: 'files', roots: [], blocks: 0, bytes: 0, newBlocks: 0, startedAt: Date.now() }
  await options.imports.save(record)
  const writer = new BatchWriter(options.blockstore, record.id)
  const progress = new ProgressReporter(tree, options.onProgress)
  const builder = new UnixfsBuilder(profile)
  let root: CID
  try {
    await addFolder(tree.root, { builder, writer, progress, profile, signal: options.signal })
    const last = builder.finish(wrap)
    writer.add(last.blocks)
    root = (last.entry as { cid: CID }).cid
    await writer.flush()
    options.signal?.throwIfAborted()
  } catch (err) {
    await writer.settle()
    log('addition %s failed, rolling back: %s', record.id, (err as Error).message)
    await rollBackImport(options.blockstore, record.id)
    await options.imports.remove(record.id)
    throw err
  } finally {
    builder.free()
  }
  Object.assign(record, { state: 'done', finishedAt: Date.now(), roots: [root.toString()], blocks: writer.blocks, bytes: writer.bytes, newBlocks: writer.newBlocks })
  await options.imports.save(record)
  await commitImport(options.blockstore, record.id)
  progress.report(true)
  const summary: AddSummary = {
    id: record.id,
    root: root.toString(),
    profile,
    wrapped: wrap,
    files: tree.files,
    folders: tree.folders,
    bytes: tree.bytes,
    blocks: writer.blocks,
    newBlocks: writer.newBlocks,
    newBytes: writer.newBytes,
    ms: performance.now() - started
  }
  log('added %s: %d files, %d bytes, %d blocks in %d ms', summary.root, summary.files, summary.bytes, summary.blocks, Math.round(summary.ms))
  await options.afterCommit?.(summary)
  return summary
}

interface Walk {
  builder: UnixfsBuilder
  writer: BatchWriter
  progress: ProgressReporter
  profile: UnixfsProfile
  signal?: AbortSignal
}

/** A leaf hashed: its record for the WASM importer and its block. */
interface HashedLeaf {
  record: Uint8Array
  block: { cid: CID, bytes: Uint8Array }
}

/** Hashes one chunk's leaf block (framed as a DAG-PB leaf where the profile wants that). */
async function hashLeaf (chunk: Uint8Array, builder: UnixfsBuilder, profile: UnixfsProfile): Promise<HashedLeaf> {
  const { rawLeaves, cidVersion } = PROFILES[profile]
  const frame = builder.leafFrame(chunk.length)
  const bytes = rawLeaves ? chunk : concat([frame.prefix, chunk, frame.suffix])
  const digest = await sha256Hasher.encode(bytes)
  const record = new Uint8Array(LEAF_RECORD_BYTES)
  record.set(digest)
  new DataView(record.buffer).setUint32(32, chunk.length, true)
  const multihash = createDigest(0x12, digest)
  return { record, block: { cid: cidVersion === 0 ? CID.createV0(multihash) : CID.createV1(raw.code, multihash), bytes } }
}

/** Small files (one chunk) read and hashed ahead of their turn. */
const SMALL_FILES_AHEAD = 16

/**
 * Adds a folder's contents, depth first, in name order. Files of one chunk or less are read
 * and hashed up to 16 ahead of their turn, so a folder of many small files does not wait on
 * each one's read and digest in turn.
 */
async function addFolder (folder: AddFolder, walk: Walk): Promise<void> {
  const children = [...folder.children.values()].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  const { chunkSize } = PROFILES[walk.profile]
  const ahead = new Map<AddFile, Promise<HashedLeaf[]>>()
  let next = 0
  const readAhead = (): void => {
    while (ahead.size < SMALL_FILES_AHEAD && next < children.length) {
      const child = children[next++]
      if (child.kind !== 'file' || child.file.size > chunkSize) continue
      const reading = readWhole(child, walk)
      reading.catch(() => {}) // awaited in its turn
      ahead.set(child, reading)
    }
  }
  for (const child of children) {
    walk.signal?.throwIfAborted()
    readAhead()
    if (child.kind === 'folder') {
      walk.builder.dirBegin(child.name)
      await addFolder(child, walk)
      walk.writer.add(walk.builder.dirEnd().blocks)
      continue
    }
    const read = ahead.get(child)
    ahead.delete(child)
    walk.progress.current = child.path
    if (read === undefined) await addFile(child, walk)
    else await finishFile(child, await read, walk)
  }
}

/** Reads and hashes a whole (small) file. */
async function readWhole (entry: AddFile, walk: Walk): Promise<HashedLeaf[]> {
  const chunker = new FixedSizeChunker(PROFILES[walk.profile].chunkSize, entry.file.size)
  const hashing: Array<Promise<HashedLeaf>> = []
  await readChunks(entry, walk, chunk => { hashing.push(hashLeaf(chunk, walk.builder, walk.profile)) }, chunker)
  return Promise.all(hashing)
}

/** Hands a file's hashed leaves to the importer and its blocks to the writer, then ends it. */
async function finishFile (entry: AddFile, leaves: HashedLeaf[], walk: Walk): Promise<void> {
  for (const leaf of leaves) walk.writer.add([leaf.block])
  walk.writer.add(walk.builder.pushLeaves(concat(leaves.map(l => l.record))).blocks)
  walk.writer.add(walk.builder.fileEnd(entry.name).blocks)
  walk.progress.read(entry.file.size)
  walk.progress.fileDone()
  await walk.writer.backpressure()
}

/**
 * Reads a file through the chunker, handing each chunk to `onChunk` (which may wait); a read
 * that fails becomes a `FileReadError` naming the file.
 */
async function readChunks (entry: AddFile, walk: Walk, onChunk: (chunk: Uint8Array) => void | Promise<void>, chunker: FixedSizeChunker, onPiece?: (bytes: number) => void): Promise<void> {
  try {
    for await (const piece of readStream(entry.file.stream(), walk.signal)) {
      for (const chunk of chunker.push(piece)) await onChunk(chunk)
      onPiece?.(piece.length)
    }
  } catch (err) {
    if (walk.signal?.aborted === true) throw err
    throw new FileReadError(`"${entry.path}" could not be read to the end (moved, deleted or changed while being added): ${(err as Error).message}`, { cause: err })
  }
  const last = chunker.finish()
  if (last !== undefined) await onChunk(last)
}

/** Streams one file: chunks hashed a few at a time, their digests pushed in order. */
async function addFile (entry: AddFile, walk: Walk): Promise<void> {
  const { builder, writer, progress } = walk
  const hashing: Array<Promise<HashedLeaf>> = []
  const settle = async (keep: number): Promise<void> => {
    const records: Uint8Array[] = []
    while (hashing.length > keep) {
      const { record, block } = await (hashing.shift() as Promise<HashedLeaf>)
      records.push(record)
      writer.add([block])
    }
    if (records.length > 0) writer.add(builder.pushLeaves(concat(records)).blocks)
    await writer.backpressure()
  }
  const chunker = new FixedSizeChunker(PROFILES[walk.profile].chunkSize, entry.file.size)
  try {
    await readChunks(entry, walk, async chunk => {
      hashing.push(hashLeaf(chunk, builder, walk.profile))
      if (hashing.length >= HASHING_AHEAD) await settle(HASHING_AHEAD / 2)
    }, chunker, bytes => progress.read(bytes))
  } catch (err) {
    await Promise.allSettled(hashing)
    throw err
  }
  await settle(0)
  writer.add(builder.fileEnd(entry.name).blocks)
  progress.fileDone()
}

/** A stream's chunks, stopping (and cancelling the stream) on abort. */
async function * readStream (stream: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader()
  try {
    while (true) {
      signal?.throwIfAborted()
      const { done, value } = await reader.read()
      if (done) return
      yield value
    }
  } finally {
    reader.cancel().catch(() => {})
  }
}

/** Writes blocks in batched, journaled transactions, one in flight while the next fills. */
class BatchWriter {
  blocks = 0
  bytes = 0
  newBlocks = 0
  newBytes = 0
  private pending: Array<{ cid: CID, bytes: Uint8Array }> = []
  private pendingBytes = 0
  private writing: Promise<void> = Promise.resolve()
  private readonly blockstore: JournaledBlockstore
  private readonly id: string

  constructor (blockstore: JournaledBlockstore, id: string) {
    this.blockstore = blockstore
    this.id = id
  }

  add (blocks: UnixfsStep['blocks']): void {
    for (const block of blocks) {
      this.pending.push(block)
      this.pendingBytes += block.bytes.length
      this.blocks++
      this.bytes += block.bytes.length
    }
  }

  /** Starts a write when a batch is full, waiting for the one before it first. */
  async backpressure (): Promise<void> {
    if (this.pendingBytes >= BATCH_BYTES || this.pending.length >= BATCH_BLOCKS) await this.startWrite()
  }

  /** Writes everything left and waits for it. */
  async flush (): Promise<void> {
    await this.startWrite()
    await this.writing
  }

  /** Waits for the write in flight, ignoring its outcome (before a rollback). */
  async settle (): Promise<void> {
    await this.writing.catch(() => {})
  }

  private async startWrite (): Promise<void> {
    await this.writing
    if (this.pending.length === 0) return
    const batch = this.pending
    this.pending = []
    this.pendingBytes = 0
    this.writing = this.blockstore.putVerifiedForImport(batch, this.id).then(added => {
      this.newBlocks += added.blocks
      this.newBytes += added.bytes
    })
    this.writing.catch(() => {}) // awaited by the next write, flush or settle
  }
}

/** Reports progress at most every 100 ms (and at each file's end). */
class ProgressReporter {
  current: string | undefined
  private readonly state: AddProgress
  private last = 0
  private readonly onProgress?: (progress: AddProgress) => void

  constructor (tree: AddTree, onProgress?: (progress: AddProgress) => void) {
    this.onProgress = onProgress
    this.state = { bytes: 0, totalBytes: tree.bytes, files: 0, totalFiles: tree.files }
  }

  read (bytes: number): void {
    this.state.bytes += bytes
    this.report(false)
  }

  fileDone (): void {
    this.state.files++
    this.report(true)
  }

  report (always: boolean): void {
    if (this.onProgress === undefined) return
    const now = performance.now()
    if (!always && now - this.last < PROGRESS_EVERY_MS) return
    this.last = now
    this.onProgress({ ...this.state, current: this.current })
  }
}
