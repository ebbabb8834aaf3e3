import { createVerifiedFetch } from '@helia/verified-fetch'
import { deleteDB } from 'idb'
import type { Blockstore } from 'interface-blockstore'
import { importer, type ImportCandidate } from 'ipfs-unixfs-importer'
import type { CID } from 'multiformats/cid'
import { handleGatewayRequest } from '../src/gateway/gateway.ts'
import { answerSiteRequest } from '../src/site/site-answer.ts'
import { openCairnDatabase } from '../src/storage/database.ts'
import { IdbBlockstore } from '../src/storage/idb-blockstore.ts'
import type { BenchRow } from './harness.ts'
import { idbStores } from './helia-idb.ts'

const FOLDERS = 4
const FILES_PER_FOLDER = 16
const FILE_SIZE = 4 * 1024 * 1024
const TREE_BYTES = FOLDERS * FILES_PER_FOLDER * FILE_SIZE
const ROUNDS = 3
const SPA_REQUESTS = 300

/** Pseudo-random bytes (xorshift32), the same for the same seed: both stores get the same blocks. */
function * randomPieces (seed: number, size: number): Generator<Uint8Array> {
  let x = seed | 1
  for (let at = 0; at < size; at += 64 * 1024) {
    const piece = new Uint8Array(Math.min(64 * 1024, size - at))
    const words = new Uint32Array(piece.buffer)
    for (let i = 0; i < words.length; i++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5
      words[i] = x >>> 0
    }
    yield piece
  }
}

/** Imports files given as `[path, pieces]` with `unixfs-v1-2025`; returns the root's CID. */
async function importTree (files: Array<[string, () => Iterable<Uint8Array>]>, store: Blockstore): Promise<CID> {
  const candidates: ImportCandidate[] = files.map(([path, pieces]) => ({ path, content: pieces() }))
  let root: CID | undefined
  for await (const entry of importer(candidates, store, { profile: 'unixfs-v1-2025', wrapWithDirectory: true })) root = entry.cid
  if (root === undefined) throw new Error('nothing imported')
  return root
}

/** Reads a response body to its end: time to the first byte and in all, and the bytes. */
async function readTimed (started: number, response: Response): Promise<{ firstMs: number, totalMs: number, bytes: number }> {
  if (response.status !== 200 || response.body === null) throw new Error(`answered ${response.status}: ${await response.text()}`)
  const reader = response.body.getReader()
  let firstMs = 0
  let bytes = 0
  for (;;) {
    const { value, done } = await reader.read()
    if (done) break
    if (bytes === 0) firstMs = performance.now() - started
    bytes += value.byteLength
  }
  return { firstMs, totalMs: performance.now() - started, bytes }
}

function median (values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

function percentile (values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]
}

const ms = (n: number): string => `${n.toFixed(n < 10 ? 2 : 0)} ms`

/**
 * `?format=tar` of a 256 MiB tree (4 folders of 16 files of 4 MiB) streamed from IndexedDB:
 * Cairn's gateway over its `IdbBlockstore` against `@helia/verified-fetch` over a Helia whose
 * blockstore is `blockstore-idb`, holding the same blocks. Rounds alternate; median of 3, with
 * the spread and the time to the first byte.
 */
async function tarBenchmarks (): Promise<BenchRow[]> {
  const files: Array<[string, () => Iterable<Uint8Array>]> = []
  for (let f = 0; f < FOLDERS; f++) {
    for (let i = 0; i < FILES_PER_FOLDER; i++) files.push([`folder-${f}/file-${i}.bin`, () => randomPieces(f * 1000 + i + 1, FILE_SIZE)])
  }
  const cairnName = `bench-tar-cairn-${Date.now()}`
  const db = await openCairnDatabase(cairnName)
  const cairnStore = new IdbBlockstore(db, { verify: false })
  const heliaStores = await idbStores(`bench-tar-helia-${Date.now()}`)
  const wrapper = await importTree(files, cairnStore)
  const again = await importTree(files, heliaStores.blockstore)
  if (!wrapper.equals(again)) throw new Error('the two stores hold different trees')
  const tree = wrapper.toString()
  const { helia, remove } = await heliaStores.start()
  const verifiedFetch = await createVerifiedFetch(helia)

  const runs: Record<'cairn' | 'reference', Array<{ firstMs: number, totalMs: number }>> = { cairn: [], reference: [] }
  const sizes = new Set<number>()
  for (let round = 0; round < ROUNDS; round++) {
    let started = performance.now()
    const ours = await readTimed(started, await handleGatewayRequest(new Request(`http://localhost/ipfs/${tree}?format=tar`), async cid => cairnStore.getBytes(cid)))
    runs.cairn.push(ours)
    sizes.add(ours.bytes)
    started = performance.now()
    const theirs = await readTimed(started, await verifiedFetch(`ipfs://${tree}`, { headers: { Accept: 'application/x-tar' } }))
    runs.reference.push(theirs)
    if (theirs.bytes < TREE_BYTES) throw new Error(`verified-fetch's TAR has ${theirs.bytes} bytes`)
  }
  if ([...sizes][0] < TREE_BYTES) throw new Error(`Cairn's TAR has ${[...sizes][0]} bytes`)
  await verifiedFetch.stop()
  await remove()
  db.close()
  await deleteDB(cairnName)

  const row = (impl: string, key: 'cairn' | 'reference'): BenchRow => {
    const totals = runs[key].map(r => r.totalMs)
    return {
      group: 'gateway: TAR from IndexedDB',
      case: '256 MiB tree (64 files of 4 MiB), ?format=tar',
      impl,
      opsPerSec: 1000 / median(totals),
      bytesPerOp: TREE_BYTES,
      note: `${ms(Math.min(...totals))}–${ms(Math.max(...totals))} in all; first byte ${ms(median(runs[key].map(r => r.firstMs)))}`
    }
  }
  return [row('cairn gateway (IdbBlockstore)', 'cairn'), row('@helia/verified-fetch (blockstore-idb)', 'reference')]
}

/**
 * Time to the first byte on a site's own origin: a SPA's deep link (not in the DAG, so the
 * root's `_redirects` is read and its `/* /index.html 200` applied) against the direct path
 * to `/index.html`, through the same answer the site's worker gives, with blocks read from the
 * Cache API as that worker keeps them. Requests alternate; p50 and p90 of 300 each.
 */
async function spaBenchmarks (): Promise<BenchRow[]> {
  const encode = (text: string): () => Iterable<Uint8Array> => () => [new TextEncoder().encode(text)]
  const files: Array<[string, () => Iterable<Uint8Array>]> = [
    ['index.html', encode(`<!doctype html><title>app</title><div id="app"></div><script src="/assets/app.js"></script>${'<!-- padding -->'.repeat(100)}`)],
    ['assets/app.js', () => randomPieces(7, 200 * 1024)],
    ['assets/style.css', encode('body { margin: 0 }\n'.repeat(200))],
    ['_redirects', encode('# SPA: every route is index.html\n/old-blog/* /blog/:splat 301\n/* /index.html 200\n')]
  ]
  const cacheName = `bench-site-${Date.now()}`
  const cache = await caches.open(cacheName)
  const blocks = new Map<string, Uint8Array>()
  const memory = {
    put: async (cid: CID, bytes: Uint8Array) => { blocks.set(cid.toString(), bytes); return cid },
    get: async (cid: CID) => blocks.get(cid.toString())
  }
  const wrapper = await importTree(files, memory as unknown as Blockstore)
  for (const [cid, bytes] of blocks) await cache.put(`/_cairn/block/${cid}`, new Response(bytes as Uint8Array<ArrayBuffer>))
  const root = `/ipfs/${wrapper.toString()}`
  const getBlock = async (cid: CID): Promise<Uint8Array> => {
    const hit = await cache.match(`/_cairn/block/${cid.toV1().toString()}`)
    if (hit === undefined) throw new Error(`block ${cid} is not cached`)
    return new Uint8Array(await hit.arrayBuffer())
  }
  const firstByte = async (path: string): Promise<number> => {
    const started = performance.now()
    const response = await answerSiteRequest(new Request(`http://site.localhost${path}`), root, getBlock)
    const timing = await readTimed(started, response)
    return timing.firstMs
  }
  const times: Record<'deep' | 'direct', number[]> = { deep: [], direct: [] }
  for (let i = 0; i < 20; i++) { await firstByte('/index.html'); await firstByte('/some/route') }
  for (let i = 0; i < SPA_REQUESTS; i++) {
    times.direct.push(await firstByte('/index.html'))
    times.deep.push(await firstByte(`/users/${i}/settings`))
  }
  await caches.delete(cacheName)
  const row = (impl: string, key: 'deep' | 'direct'): BenchRow => ({
    group: 'gateway: a site\'s first byte',
    case: 'SPA on its own origin (blocks in the Cache API)',
    impl,
    opsPerSec: 1000 / median(times[key]),
    bytesPerOp: 0,
    note: `p50 ${ms(median(times[key]))}, p90 ${ms(percentile(times[key], 0.9))}`
  })
  return [row('direct path /index.html', 'direct'), row('cairn deep link via _redirects (200 rewrite)', 'deep')]
}

/** The gateway benchmarks: TAR from IndexedDB, and a SPA's deep link on its own origin. */
export async function gatewayBenchmarks (): Promise<BenchRow[]> {
  return [...await spaBenchmarks(), ...await tarBenchmarks()]
}
