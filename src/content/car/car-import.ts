import { logger } from '@libp2p/logger'
import type { CID } from 'multiformats/cid'
import type { JournaledBlockstore } from '../blockstore/journaled-blockstore.ts'
import type { StoreLock } from '../blockstore/store-lock.ts'
import { commitImport, rollBackImport } from '../imports/journal.ts'
import type { ImportLog, ImportRecord } from '../imports/import-log.ts'
import { readCar } from './car-reader.ts'

const log = logger('cairn:content:car-import')

/** Progress of a running import. */
export interface CarImportProgress {
  bytesRead: number
  /** The file size, when known. */
  totalBytes?: number
  blocks: number
}

/** What a finished import reports. */
export interface CarImportSummary {
  id: string
  version: 1 | 2
  roots: string[]
  /** Roots whose block is not in the CAR (and was not stored before). */
  missingRoots: string[]
  blocks: number
  bytes: number
  newBlocks: number
  newBytes: number
  ms: number
}

/** Options for `importCar`. */
export interface CarImportOptions {
  blockstore: JournaledBlockstore
  imports: ImportLog
  /** Held shared for the whole import, so garbage collection cannot run meanwhile. */
  lock: StoreLock
  /** Shown in the import list; usually the file name. */
  name: string
  totalBytes?: number
  onProgress?: (progress: CarImportProgress) => void
  signal?: AbortSignal
  /**
   * Runs once the import has committed, still under the store lock (so garbage collection
   * cannot come between): the node pins the roots here.
   */
  afterCommit?: (summary: CarImportSummary) => Promise<void>
}

/**
 * Imports a CAR from a stream, all or nothing. Blocks are verified by the WASM module as they
 * stream and written in batches, each marked in a journal; when anything fails (a malformed
 * or truncated file, a block that does not match its CID, an abort) every block the import
 * added is deleted again and the error is rethrown, so the blockstore is as it was. Blocks
 * that were stored before, or that another write wanted meanwhile, stay. An import cut short
 * by the browser (the Service Worker stopped) is rolled back by `recoverImports` next start.
 */
export async function importCar (source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: CarImportOptions): Promise<CarImportSummary> {
  return options.lock.shared(async () => runImport(source, options))
}

async function runImport (source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: CarImportOptions): Promise<CarImportSummary> {
  const { blockstore, imports, signal } = options
  const started = performance.now()
  const record: ImportRecord = {
    id: crypto.randomUUID(),
    name: options.name,
    state: 'running',
    roots: [],
    blocks: 0,
    bytes: 0,
    newBlocks: 0,
    startedAt: Date.now()
  }
  await imports.save(record)
  let version: 1 | 2 = 1
  let roots: CID[] = []
  let newBytes = 0
  const seen = new Set<string>()
  // One batch is written while the next is read and verified.
  let writing: Promise<void> = Promise.resolve()
  try {
    for await (const event of readCar(source)) {
      signal?.throwIfAborted()
      if (event.type === 'header') {
        version = event.header.version
        roots = event.header.roots
        record.roots = roots.map(String)
        continue
      }
      await writing
      const batch = event.blocks
      writing = blockstore.putVerifiedForImport(batch, record.id).then(added => {
        record.newBlocks += added.blocks
        newBytes += added.bytes
      })
      writing.catch(() => {}) // awaited before the next batch or at the end
      for (const block of batch) {
        record.blocks++
        record.bytes += block.bytes.length
        if (roots.length > 0) seen.add(block.cid.multihash.bytes.join())
      }
      options.onProgress?.({ bytesRead: event.bytesRead, totalBytes: options.totalBytes, blocks: record.blocks })
    }
    await writing
    signal?.throwIfAborted()
  } catch (err) {
    await writing.catch(() => {})
    log('import %s failed, rolling back: %s', record.id, (err as Error).message)
    await rollBackImport(blockstore, record.id)
    await imports.remove(record.id)
    throw err
  }
  const missing: string[] = []
  for (const root of roots) {
    if (!seen.has(root.multihash.bytes.join()) && !await blockstore.has(root)) missing.push(root.toString())
  }
  record.state = 'done'
  record.finishedAt = Date.now()
  await imports.save(record)
  await commitImport(blockstore, record.id)
  const ms = performance.now() - started
  log('imported %d blocks (%d new) in %d ms', record.blocks, record.newBlocks, Math.round(ms))
  const summary: CarImportSummary = {
    id: record.id,
    version,
    roots: record.roots,
    missingRoots: missing,
    blocks: record.blocks,
    bytes: record.bytes,
    newBlocks: record.newBlocks,
    newBytes,
    ms
  }
  await options.afterCommit?.(summary)
  return summary
}
