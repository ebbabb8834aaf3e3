import { IDBBlockstore } from 'blockstore-idb'
import { deleteDB, openDB } from 'idb'
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

/** The leaves `unixfs-v1-2025` cuts the files into (1 MiB chunks), built before any timing. */
function leavesOf (entries: MemoryFile[]): Uint8Array[] {
  const leaves: Uint8Array[] = []
  for (const entry of entries) {
    for (let at = 0; at < entry.pieces.length; at += 16) {
      const pieces = entry.pieces.slice(at, at + 16)
      const leaf = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0))
      let offset = 0
      for (const p of pieces) { leaf.set(p, offset); offset += p.length }
      leaves.push(leaf)
    }
  }
  return leaves
}

/**
 * The raw IndexedDB write ceiling for these leaves: each under a random 34-byte key (a
 * multihash's size) in a bare object store, in sequential `relaxed` transactions of
 * `batchBytes` — no hashing, no importer, no totals or marks. Seconds for one run.
 */
async function rawWrites (leaves: Uint8Array[], batchBytes: number, name: string): Promise<number> {
  const keys = leaves.map(() => crypto.getRandomValues(new Uint8Array(34)))
  const db = await openDB(name, 1, { upgrade: db => { db.createObjectStore('blocks') } })
  const started = performance.now()
  for (let at = 0; at < leaves.length;) {
    const tx = db.transaction('blocks', 'readwrite', { durability: 'relaxed' })
    const store = tx.objectStore('blocks')
    let bytes = 0
    while (at < leaves.length && (bytes === 0 || bytes + leaves[at].length <= batchBytes)) {
      void store.put(leaves[at], keys[at])
      bytes += leaves[at++].length
    }
    await tx.done
  }
  const seconds = (performance.now() - started) / 1000
  db.close()
  await deleteDB(name)
  return seconds
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
    // The ceiling: the same leaf bytes in the best of two batch sizes (8 MiB is Cairn's).
    const leaves = leavesOf(entries)
    let ceiling = Infinity
    for (const batch of [8, 32]) ceiling = Math.min(ceiling, await timed(async round => { await rawWrites(leaves, batch * 1024 * 1024, `bench-ceiling-${files}-${batch}-${round}`) }))
    add('IndexedDB write ceiling: the same leaf bytes, raw puts in batched transactions', ceiling)
    const cairn = rows.find(r => r.case === label && r.impl.startsWith('cairn addFiles'))
    const oneFile = rows.find(r => r.case !== label && r.impl.startsWith('cairn addFiles'))
    if (cairn !== undefined) {
      cairn.note = `${Math.round(cairn.opsPerSec * ceiling * 100)} % of the write ceiling` +
        (oneFile === undefined ? '' : `, ${Math.round(cairn.opsPerSec / oneFile.opsPerSec * 100)} % of one file`)
    }
  }
  return rows
}
