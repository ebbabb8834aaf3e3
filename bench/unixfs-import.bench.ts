import { IDBBlockstore } from 'blockstore-idb'
import { deleteDB } from 'idb'
import type { Blockstore } from 'interface-blockstore'
import { importer, type ImportCandidate } from 'ipfs-unixfs-importer'
import { addFiles } from '../src/add/add-files.ts'
import { memoryStoreLock } from '../src/content/blockstore/store-lock.ts'
import { openCairnDatabase } from '../src/storage/database.ts'
import { IdbBlockstore } from '../src/storage/idb-blockstore.ts'
import { IdbImportLog } from '../src/storage/idb-import-log.ts'
import { timed, type BenchRow } from './harness.ts'

const TOTAL = 256 * 1024 * 1024

/** A file held in memory in 64 KiB pieces, streamed as a picked file would be. */
interface MemoryFile { path: string, pieces: Uint8Array[], size: number }

/** Random bytes: one file of 256 MiB, or 4096 of 64 KiB. */
function inputs (files: number): MemoryFile[] {
  const size = TOTAL / files
  const piece = 64 * 1024
  return Array.from({ length: files }, (_, i) => {
    const pieces: Uint8Array[] = []
    for (let at = 0; at < size; at += piece) pieces.push(crypto.getRandomValues(new Uint8Array(Math.min(piece, size - at))))
    return { path: files === 1 ? 'big.bin' : `dir/file-${i}.bin`, pieces, size }
  })
}

function stream (file: MemoryFile): ReadableStream<Uint8Array> {
  let i = 0
  return new ReadableStream({ pull (c) { if (i < file.pieces.length) c.enqueue(file.pieces[i++]); else c.close() } })
}

async function * chunksOf (file: MemoryFile): AsyncGenerator<Uint8Array> {
  yield * file.pieces
}

async function reference (entries: MemoryFile[], blockstore: Blockstore): Promise<string> {
  const candidates: ImportCandidate[] = entries.map(e => ({ path: e.path, content: chunksOf(e) }))
  let root = ''
  for await (const entry of importer(candidates, blockstore, { profile: 'unixfs-v1-2025' })) root = entry.cid.toString()
  return root
}

/**
 * Adding 256 MiB (one file, and 4096 files of 64 KiB) into IndexedDB with `unixfs-v1-2025`:
 * Cairn's `addFiles` (leaves hashed by `crypto.subtle`, nodes built in WASM, journaled batched
 * writes) against `ipfs-unixfs-importer` with `blockstore-idb`, and with Cairn's `IdbBlockstore`
 * (which shows the importer's own share). Each the median of 3 runs on a fresh database.
 */
export async function unixfsImportBenchmarks (): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  for (const files of [1, 4096]) {
    const entries = inputs(files)
    const label = files === 1 ? '256 MiB, one file' : '256 MiB, 4096 files of 64 KiB'
    const add = (impl: string, seconds: number): void => { rows.push({ group: 'UnixFS import (unixfs-v1-2025, into IndexedDB)', case: label, impl, opsPerSec: 1 / seconds, bytesPerOp: TOTAL }) }
    const roots = new Set<string>()
    add('ipfs-unixfs-importer + blockstore-idb', await timed(async round => {
      const name = `bench-add-ref-${files}-${round}`
      const store = new IDBBlockstore(name)
      await store.open()
      roots.add(await reference(entries, store))
      await store.close()
      await deleteDB(name)
    }))
    add('ipfs-unixfs-importer + cairn IdbBlockstore', await timed(async round => {
      const name = `bench-add-refcairn-${files}-${round}`
      const db = await openCairnDatabase(name)
      roots.add(await reference(entries, new IdbBlockstore(db, { verify: false })))
      db.close()
      await deleteDB(name)
    }))
    add('cairn addFiles (WASM importer, subtle leaves, journaled batches)', await timed(async round => {
      const name = `bench-add-cairn-${files}-${round}`
      const db = await openCairnDatabase(name)
      const summary = await addFiles(entries.map(e => ({ path: e.path, file: { size: e.size, stream: () => stream(e) } })), { blockstore: new IdbBlockstore(db), imports: new IdbImportLog(db), lock: memoryStoreLock(), name: 'bench', profile: 'unixfs-v1-2025' })
      roots.add(summary.root)
      db.close()
      await deleteDB(name)
    }))
    if (roots.size !== 1) throw new Error(`the importers disagree on the root: ${[...roots].join(', ')}`)
  }
  return rows
}
