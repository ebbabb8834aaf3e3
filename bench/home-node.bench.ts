// The home node in Node.js over loopback: "Keep online" to `pinned` for a 64 MiB folder
// against plain Helia-to-Helia Bitswap of the same DAG (the reference, same run), `GET /pins`
// with 10 000 pins, the relay's memory with them, and provider lookups through a local DHT.
// Run by `npm run bench -- --only home`.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomFillSync } from 'node:crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p } from '@libp2p/interface'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import * as raw from 'multiformats/codecs/raw'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { DEFAULT_RELAY_LIMITS } from '../src/relay/limits.ts'
import { startRelay, type Relay } from '../src/relay/relay.ts'
import type { HomeNode } from '../src/relay/home/home-node.ts'
import type { DhtSettings } from '../src/relay/dht.ts'
import { startHelia } from '../test/support/exchange-peers.ts'
import { startTestDht } from '../test/support/dht.ts'

const FOLDER_BYTES = 64 * 1024 * 1024
const FILES = 16
const ROUNDS = 3
const PINS = 10_000

async function home (dir: string, dht?: DhtSettings): Promise<{ relay: Relay, node: HomeNode }> {
  const relay = await startRelay({
    host: '127.0.0.1',
    port: 0,
    announce: [],
    limits: DEFAULT_RELAY_LIMITS,
    privateKey: await generateKeyPair('Ed25519'),
    home: { dir, httpHost: '127.0.0.1', httpPort: 0, httpAnnounce: [], stallMs: 60_000, corsOrigins: () => [] },
    ...(dht === undefined ? {} : { dht })
  })
  return { relay, node: relay.home as HomeNode }
}

async function call (url: string, token: string, method = 'GET', body?: unknown): Promise<unknown> {
  const response = await fetch(url, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  return response.status === 202 && method === 'DELETE' ? null : response.json()
}

function median (values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

function spread (values: number[]): string {
  return `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`
}

const rows: string[][] = []

// 1. Keep online vs raw Bitswap, each round on fresh nodes (nothing kept from the last).
const keep: number[] = []
const reference: number[] = []
for (let round = 0; round < ROUNDS; round++) {
  const source = await startHelia()
  const files = Array.from({ length: FILES }, (_, i) => ({ path: `f${i}.bin`, content: randomFillSync(new Uint8Array(FOLDER_BYTES / FILES)) }))
  let root: CID | undefined
  for await (const entry of source.fs.addAll(files, { rawLeaves: true, cidVersion: 1, chunker: fixedSize({ chunkSize: 1024 * 1024 }), wrapWithDirectory: true })) root = entry.cid
  if (root === undefined) throw new Error('nothing added')

  const dir = await mkdtemp(join(tmpdir(), 'cairn-bench-home-'))
  const { relay, node } = await home(dir)
  const { secret } = await node.tokens.add('bench')
  let started = performance.now()
  const asked = await call(`${node.http.url}/pins`, secret, 'POST', { cid: root.toString(), origins: source.multiaddrs.map(String) }) as { requestid: string }
  for (;;) {
    const status = await call(`${node.http.url}/pins/${asked.requestid}`, secret) as { status: string, info: Record<string, string> }
    if (status.status === 'pinned') break
    if (status.status === 'failed') throw new Error(status.info.status_details)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  keep.push(FOLDER_BYTES / 1024 / 1024 / ((performance.now() - started) / 1000))
  await relay.stop()
  await rm(dir, { recursive: true, force: true })

  const fetcher = await startHelia()
  await (fetcher.helia.libp2p as unknown as Libp2p).dial(source.multiaddrs[0])
  started = performance.now()
  for (const file of files) {
    for await (const _ of fetcher.fs.cat(root, { path: file.path })) { /* drained */ }
  }
  reference.push(FOLDER_BYTES / 1024 / 1024 / ((performance.now() - started) / 1000))
  await fetcher.stop()
  await source.stop()
}
rows.push(['Keep online → pinned, 64 MiB folder (MiB/s)', median(keep).toFixed(1), spread(keep), median(reference).toFixed(1), spread(reference), `${Math.round(median(keep) / median(reference) * 100)} % (target ≥ 80 %)`])

// 2. GET /pins with 10 000 pins, and the memory they take.
const dir = await mkdtemp(join(tmpdir(), 'cairn-bench-home-'))
const { relay, node } = await home(dir)
const { secret } = await node.tokens.add('bench')
const gc = (globalThis as { gc?: () => void }).gc
gc?.()
const before = process.memoryUsage()
for (let i = 0; i < PINS; i++) {
  const bytes = new TextEncoder().encode(`pin ${i}`)
  const cid = CID.createV1(raw.code, await sha256.digest(bytes))
  await node.kept.put(cid, bytes)
  await call(`${node.http.url}/pins`, secret, 'POST', { cid: cid.toString(), name: `file-${i}.txt`, meta: { batch: String(i % 10) } })
}
while (node.pins.usage(node.tokens.list()[0].id).pins < PINS || (await call(`${node.http.url}/pins?status=queued,pinning&limit=1`, secret) as { count: number }).count > 0) {
  await new Promise(resolve => setTimeout(resolve, 100))
}
gc?.()
const after = process.memoryUsage()
const times = (query: string): Promise<number[]> => (async () => {
  const ms: number[] = []
  for (let i = 0; i < 50; i++) {
    const started = performance.now()
    await call(`${node.http.url}/pins${query}`, secret)
    ms.push(performance.now() - started)
  }
  return ms
})()
for (const [label, query] of [['GET /pins (newest 10)', ''], ['GET /pins?limit=1000', '?limit=1000'], ['GET /pins?name=file-9&match=partial&meta=…', `?name=file-9&match=partial&meta=${encodeURIComponent('{"batch":"9"}')}`]] as const) {
  const ms = await times(query)
  rows.push([`${label}, ${PINS} pins (ms)`, median(ms).toFixed(1), spread(ms), '—', '—', `p50 ${median(ms) < 50 ? '<' : '≥'} 50 ms (target < 50 ms)`])
}
rows.push([`relay memory with ${PINS} pins (MB, heap / RSS growth)`, ((after.heapUsed - before.heapUsed) / 1e6).toFixed(1), `RSS +${((after.rss - before.rss) / 1e6).toFixed(1)}`, '—', '—', gc === undefined ? 'run with --expose-gc for a settled heap' : 'after GC'])
await relay.stop()
await rm(dir, { recursive: true, force: true })

// 3. Provider lookups through a local DHT of 8 Node.js peers: the relay announces 10 roots;
// a DHT client that never met it looks each up (the time to the first provider).
{
  const dhtPeers = await startTestDht(8)
  const dhtDir = await mkdtemp(join(tmpdir(), 'cairn-bench-home-'))
  const { relay, node } = await home(dhtDir, { bootstrap: [dhtPeers.bootstrap], lan: true })
  const { secret } = await node.tokens.add('bench')
  const roots: CID[] = []
  for (let i = 0; i < 10; i++) {
    const bytes = new TextEncoder().encode(`announced ${i}`)
    const cid = CID.createV1(raw.code, await sha256.digest(bytes))
    await node.kept.put(cid, bytes)
    await call(`${node.http.url}/pins`, secret, 'POST', { cid: cid.toString() })
    roots.push(cid)
  }
  while ((node.announcer?.counts.announced ?? 0) + (node.announcer?.counts.failed ?? 0) < roots.length) await new Promise(resolve => setTimeout(resolve, 50))
  const reader = await startHelia({ dht: true })
  const libp2p = reader.helia.libp2p as unknown as Libp2p
  await libp2p.dial(dhtPeers.peers[5].getMultiaddrs()[0])
  const ms: number[] = []
  for (const root of roots) {
    const started = performance.now()
    for await (const provider of libp2p.contentRouting.findProviders(root, { signal: AbortSignal.timeout(10_000) })) {
      if (provider.id.toString() === relay.peerId) break
    }
    ms.push(performance.now() - started)
  }
  rows.push(['provider lookup, local DHT of 8 peers (ms)', median(ms).toFixed(1), spread(ms), '—', '—', `p50 ${median(ms) < 1000 ? '<' : '≥'} 1 s (target < 1 s)`])
  await reader.stop()
  await relay.stop()
  await dhtPeers.stop()
  await rm(dhtDir, { recursive: true, force: true })
}

const header = ['home node (Node.js, loopback)', 'ours (median)', 'spread', 'Helia↔Helia Bitswap (median)', 'spread', 'verdict']
const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)))
const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`
console.log(`\n${line(header)}\n|${widths.map(w => '-'.repeat(w + 2)).join('|')}|\n${rows.map(line).join('\n')}\n`)
