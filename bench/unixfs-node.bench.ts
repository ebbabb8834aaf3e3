// The WASM importer against ipfs-unixfs-importer in Node.js, 1 GiB into blockstore-core's
// memory blockstore (the same for both), both profiles. Run by `npm run bench` (plain Node.js: the hot path loads without Vite).
import { randomFillSync } from 'node:crypto'
import { MemoryBlockstore as ReferenceBlockstore } from 'blockstore-core/memory'
import { importer } from 'ipfs-unixfs-importer'
import { addFiles } from '../src/add/add-files.ts'
import type { JournaledBlockstore } from '../src/content/blockstore/journaled-blockstore.ts'
import { memoryStoreLock } from '../src/content/blockstore/store-lock.ts'
import { MemoryImportLog } from '../src/content/imports/import-log.ts'
import { ready, type UnixfsProfile } from '../src/hotpath/index.ts'

const TOTAL = 1024 * 1024 * 1024
const PIECE = 1024 * 1024

/** 1 GiB of random bytes, held once in pieces and handed out as a stream to both importers. */
const pieces = Array.from({ length: TOTAL / PIECE }, () => randomFillSync(new Uint8Array(PIECE)))
const source = {
  size: TOTAL,
  stream: () => {
    let i = 0
    return new ReadableStream<Uint8Array>({ pull (c) { if (i < pieces.length) c.enqueue(pieces[i++]); else c.close() } })
  }
}

/** Cairn's import writes into the same memory blockstore as the reference (journal marks aside). */
function journaled (store: ReferenceBlockstore): JournaledBlockstore {
  return {
    has: async cid => store.has(cid),
    putVerifiedForImport: async batch => {
      for (const { cid, bytes } of batch) await store.put(cid, bytes)
      return { blocks: batch.length, bytes: batch.reduce((n, b) => n + b.bytes.length, 0) }
    },
    rollBackImport: async () => 0,
    commitImport: async () => {}
  }
}

async function seconds (run: () => Promise<string>): Promise<{ s: number, root: string }> {
  const start = performance.now()
  const root = await run()
  return { s: (performance.now() - start) / 1000, root }
}

await ready()
const rows: string[] = []
for (const profile of ['unixfs-v1-2025', 'unixfs-v0-2015'] as UnixfsProfile[]) {
  const runs: Array<{ ours: number, theirs: number }> = []
  for (let round = 0; round < 3; round++) {
    const ours = await seconds(async () => (await addFiles([{ path: 'big.bin', file: source }], { blockstore: journaled(new ReferenceBlockstore()), imports: new MemoryImportLog(), lock: memoryStoreLock(), name: 'bench', profile })).root)
    const theirs = await seconds(async () => {
      let root = ''
      for await (const entry of importer([{ path: 'big.bin', content: (async function * () { yield * pieces })() }], new ReferenceBlockstore(), { profile })) root = entry.cid.toString()
      return root
    })
    if (ours.root !== theirs.root) throw new Error(`${profile}: roots differ (${ours.root} vs ${theirs.root})`)
    runs.push({ ours: ours.s, theirs: theirs.s })
  }
  const mib = (s: number): string => `${(TOTAL / (1024 * 1024) / s).toFixed(0)} MiB/s`
  const ratios = runs.map(r => r.theirs / r.ours).sort((a, b) => a - b)
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[1]
  rows.push(`| 1 GiB, ${profile} | ${mib(median(runs.map(r => r.ours)))} | ${mib(median(runs.map(r => r.theirs)))} | ${ratios[1].toFixed(2)}× (${ratios[0].toFixed(2)}–${ratios[2].toFixed(2)}) |`)
}
console.log(`\n### UnixFS import in Node.js ${process.version} (memory blockstore, 3 runs)\n`)
console.log('| case | cairn addFiles (WASM importer) | ipfs-unixfs-importer | cairn vs reference (median, range) |')
console.log('|---|---:|---:|---:|')
for (const row of rows) console.log(row)
