// The content-exchange benchmark: fetching a 64 MiB UnixFS file (1 MiB raw leaves) into the
// browser, Cairn's Service Worker against the references in a page, measured in the same run:
//   1. from a Helia node over WebSockets on loopback: Cairn (Bitswap, blocks into IndexedDB)
//      vs Helia in a page with `blockstore-idb`;
//   2. from a local trustless gateway: Cairn's gateway route vs `@helia/verified-fetch`;
//   3. browser to browser over direct WebRTC: 64 MiB read through the gateway route against
//      the raw bridge (the throughput test between the same two nodes, alternating, in the
//      same run), and the time to first byte of a `/ipfs/<cid>/file` miss (p50 of 20).
// `webrtcOnly` runs the third case alone (`npm run bench -- --only webrtc`).
// Prints tables; never fails on numbers.
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { buildApp, installBenchRpc, serveApp, until } from './bench-app.mjs'
import { startBlocksServer } from '../test/support/blocks-server.ts'
import { bytesOf } from '../test/support/bytes.ts'
import { startHelia } from '../test/support/exchange-peers.ts'

const MiB = 1024 * 1024
const FILE_BYTES = 64 * MiB
const RUNS = 3
const TTFB_SAMPLES = 20
/** Browser-to-browser rounds: one bridge test and one 64 MiB Bitswap read (a file of its own) each. */
const WEBRTC_RUNS = 3
/** The issue's targets for direct WebRTC. */
const TARGET_BRIDGE_SHARE = 0.8
const TARGET_TTFB_MS = 40

/**
 * Runs every exchange case and prints its tables.
 * @param {import('playwright-core').Browser} browser
 * @param {string} benchOrigin where the Vite server serves `bench/exchange/reference-page.html`
 * @param {{ webrtcOnly?: boolean }} [options]
 */
export async function runExchangeBench (browser, benchOrigin, { webrtcOnly = false } = {}) {
  console.log('exchange: building the app and adding 64 MiB files to a Helia node…')
  buildApp()
  const helia = await startHelia()
  const addFile = async seed => (await helia.fs.addBytes(bytesOf(FILE_BYTES, seed), { rawLeaves: true, cidVersion: 1, chunker: fixedSize({ chunkSize: MiB }) })).toString()
  const root = await addFile(64)
  const webrtcFiles = [root]
  for (let i = 1; i < WEBRTC_RUNS; i++) webrtcFiles.push(await addFile(64 + i))
  const small = []
  for (let i = 0; i < TTFB_SAMPLES; i++) {
    const dir = await helia.fs.addDirectory()
    const file = await helia.fs.addBytes(bytesOf(64 * 1024, 1000 + i), { rawLeaves: true, cidVersion: 1 })
    small.push((await helia.fs.cp(file, dir, 'file')).toString())
  }
  const blockOf = async cid => {
    const chunks = []
    for await (const chunk of helia.helia.blockstore.get(cid, { offline: true })) chunks.push(chunk)
    return chunks[0]
  }
  const gateway = await startBlocksServer(blockOf)
  const { startRelay } = await import('../src/relay/relay.ts')
  const { DEFAULT_RELAY_LIMITS } = await import('../src/relay/limits.ts')
  const relay = await startRelay({ host: '127.0.0.1', port: 0, announce: [], limits: { ...DEFAULT_RELAY_LIMITS, relayedDurationMs: 0, relayedDataBytes: 0 }, log: () => {} })
  const app = await serveApp()
  const heliaAddress = helia.multiaddrs[0].toString()
  const rows = []
  try {
    const fromHelia = { cairnRead: [], cairnFetchAll: [], helia: [] }
    const fromGateway = { cairn: [], verifiedFetch: [], verifiedFetchIdb: [] }
    for (let run = 0; run < (webrtcOnly ? 0 : RUNS); run++) {
      console.log(`exchange: run ${run + 1} of ${RUNS}…`)
      fromHelia.cairnRead.push(await inFreshApp(browser, app.origin, async page => {
        await page.evaluate(() => globalThis.benchRpc('exchange.set', { share: true, routers: [], gateways: [] }))
        await page.evaluate(address => globalThis.benchRpc('peers.dial', { address }), heliaAddress)
        return readInPage(page, `/ipfs/${root}`)
      }))
      fromHelia.cairnFetchAll.push(await inFreshApp(browser, app.origin, async page => {
        await page.evaluate(() => globalThis.benchRpc('exchange.set', { share: true, routers: [], gateways: [] }))
        await page.evaluate(address => globalThis.benchRpc('peers.dial', { address }), heliaAddress)
        return page.evaluate(async ({ cid, fileBytes }) => {
          const started = performance.now()
          const summary = await globalThis.benchRpc('dag.fetch', { cid })
          // 64 leaves and the root node: every block of the file is stored.
          return { ms: performance.now() - started, bytes: summary.complete && summary.blocks === 65 ? fileBytes : summary.bytes }
        }, { cid: root, fileBytes: FILE_BYTES })
      }))
      fromHelia.helia.push(await inReferencePage(browser, benchOrigin, page => page.evaluate(({ address, root }) => window.reference.heliaCat(address, root), { address: heliaAddress, root })))
      fromGateway.cairn.push(await inFreshApp(browser, app.origin, async page => {
        await page.evaluate(url => globalThis.benchRpc('exchange.set', { share: true, routers: [], gateways: [{ url, enabled: true }] }), gateway.url)
        return readInPage(page, `/ipfs/${root}`)
      }))
      fromGateway.verifiedFetch.push(await inReferencePage(browser, benchOrigin, page => page.evaluate(({ url, root }) => window.reference.verifiedFetch(url, root, false), { url: gateway.url, root })))
      fromGateway.verifiedFetchIdb.push(await inReferencePage(browser, benchOrigin, page => page.evaluate(({ url, root }) => window.reference.verifiedFetch(url, root, true), { url: gateway.url, root })))
    }
    if (!webrtcOnly) rows.push(
      row('from a Helia node over WebSockets', 'Cairn: Service Worker, gateway read (Bitswap → IndexedDB)', fromHelia.cairnRead),
      row('from a Helia node over WebSockets', 'Cairn: Service Worker, "Fetch everything" (16 blocks at a time)', fromHelia.cairnFetchAll),
      row('from a Helia node over WebSockets', 'Helia in a page, blockstore-idb, unixfs cat (reference)', fromHelia.helia),
      row('from a local trustless gateway', 'Cairn: Service Worker gateway route', fromGateway.cairn),
      row('from a local trustless gateway', '@helia/verified-fetch in a page, blocks in memory (reference)', fromGateway.verifiedFetch),
      row('from a local trustless gateway', '@helia/verified-fetch in a page, Helia with blockstore-idb', fromGateway.verifiedFetchIdb)
    )
    console.log('exchange: browser to browser over direct WebRTC…')
    const webrtc = await browserToBrowser(browser, app.origin, relay.multiaddrs[0], heliaAddress, webrtcFiles, small)
    printTables(rows, webrtc)
  } finally {
    app.stop()
    await relay.stop()
    await gateway.stop()
    await helia.stop()
  }
}

/** Runs `measure` in a new profile with the app open; checks the whole file arrived. */
async function inFreshApp (browser, origin, measure) {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] })
  await context.addInitScript(installBenchRpc)
  try {
    const page = await context.newPage()
    page.on('pageerror', err => console.error('page error:', err.message))
    await page.goto(`${origin}/`)
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 })
    await page.evaluate(() => globalThis.benchRpc('settings.set', { relays: [], allowLocalAddresses: true, iceServers: [] }))
    return checked(await measure(page))
  } finally {
    await context.close()
  }
}

async function inReferencePage (browser, benchOrigin, measure) {
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    page.on('pageerror', err => console.error('page error:', err.message))
    await page.goto(`${benchOrigin}/bench/exchange/reference-page.html`)
    await page.waitForFunction(() => window.reference !== undefined, undefined, { timeout: 120_000 })
    return checked(await measure(page))
  } finally {
    await context.close()
  }
}

function checked (result) {
  if (result.bytes !== FILE_BYTES) throw new Error(`exchange bench: got ${result.bytes} bytes instead of ${FILE_BYTES}`)
  return result.ms
}

/** Reads a gateway URL in the page to the end; the time and the byte count. */
async function readInPage (page, url) {
  return page.evaluate(async url => {
    const started = performance.now()
    const response = await fetch(url)
    const reader = response.body.getReader()
    let bytes = 0
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      bytes += value.length
    }
    if (!response.ok) throw new Error(`${url} answered ${response.status}`)
    return { ms: performance.now() - started, bytes }
  }, url)
}

/**
 * Two profiles on the relay: A holds the content (fetched from Helia), B fetches it from A over
 * direct WebRTC. Each round runs the raw throughput test from A to B (the bridge's ceiling for
 * this pair now) and then reads a 64 MiB file of its own in B, so both see the same moment.
 */
async function browserToBrowser (browser, origin, relay, heliaAddress, files, small) {
  const open = async () => {
    const context = await browser.newContext({ permissions: ['camera', 'microphone'] })
    await context.addInitScript(installBenchRpc)
    const page = await context.newPage()
    await page.goto(`${origin}/`)
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 })
    await page.evaluate(r => globalThis.benchRpc('settings.set', { relays: [r], allowLocalAddresses: true, iceServers: [] }), relay)
    await page.evaluate(() => globalThis.benchRpc('exchange.set', { share: true, routers: [], gateways: [] }))
    await until(async () => (await page.evaluate(() => globalThis.benchRpc('node.status', {}))).state === 'online', 'the node to be online')
    const { peerId } = await page.evaluate(() => globalThis.benchRpc('node.status', {}))
    return { context, page, peerId }
  }
  const a = await open()
  const b = await open()
  try {
    await a.page.evaluate(address => globalThis.benchRpc('peers.dial', { address }), heliaAddress)
    for (const cid of [...files, ...small]) await a.page.evaluate(cid => globalThis.benchRpc('dag.fetch', { cid }), cid)
    await a.page.evaluate(peerId => globalThis.benchRpc('peers.disconnect', { peerId }), (await a.page.evaluate(() => globalThis.benchRpc('peers.list', {}))).connections.find(c => c.remoteAddr.includes('/ws'))?.peerId ?? '')
    const kinds = async () => (await b.page.evaluate(() => globalThis.benchRpc('peers.list', {}))).connections.filter(c => c.peerId === a.peerId).map(c => c.kind)
    await until(async () => { const k = await kinds(); return k.length === 1 && k[0] === 'webrtc' }, 'a direct WebRTC connection only', 90_000)
    const rtt = []
    for (let i = 0; i < TTFB_SAMPLES; i++) rtt.push((await b.page.evaluate(peerId => globalThis.benchRpc('peers.ping', { peerId }), a.peerId)).rtt)
    const firstByte = url => b.page.evaluate(async url => {
      const started = performance.now()
      const response = await fetch(url)
      await response.body.getReader().read()
      if (!response.ok) throw new Error(`${url} answered ${response.status}`)
      return performance.now() - started
    }, url)
    const ttfb = []
    for (const dir of small) ttfb.push(await firstByte(`/ipfs/${dir}/file`))
    // The same files again, now stored: what the gateway route itself costs.
    const stored = []
    for (const dir of small) stored.push(await firstByte(`/ipfs/${dir}/file`))
    const rounds = []
    for (const file of files) {
      const bridge = await a.page.evaluate(({ peerId, bytes }) => globalThis.benchRpc('peers.throughput', { peerId, bytes }), { peerId: b.peerId, bytes: FILE_BYTES })
      if (!bridge.remoteAddr.includes('/webrtc')) throw new Error(`the throughput test ran on ${bridge.remoteAddr}, not on direct WebRTC`)
      const bitswapMs = checked(await readInPage(b.page, `/ipfs/${file}`))
      rounds.push({ bridgeMs: bridge.ms, bitswapMs })
    }
    return { ttfb: ttfb.sort((x, y) => x - y), stored: stored.sort((x, y) => x - y), rtt: rtt.sort((x, y) => x - y), rounds }
  } finally {
    await a.context.close()
    await b.context.close()
  }
}

function row (source, impl, samples) {
  const sorted = [...samples].sort((x, y) => x - y)
  return { source, impl, median: sorted[Math.floor(sorted.length / 2)], samples: sorted }
}

const rate = ms => FILE_BYTES / MiB / (ms / 1000)

function printTables (rows, webrtc) {
  if (rows.length > 0) {
    console.log(`### Exchange: a 64 MiB UnixFS file (1 MiB raw leaves) into the browser, median of ${RUNS} runs in fresh profiles\n`)
    console.log('| source | implementation | time | throughput | runs (MiB/s) | vs reference |')
    console.log('|---|---|---:|---:|---|---:|')
  }
  for (const source of [...new Set(rows.map(r => r.source))]) {
    const group = rows.filter(r => r.source === source)
    const reference = group.find(r => r.impl.includes('(reference)'))
    for (const r of group) {
      const ratio = r === reference ? 'reference' : `${(reference.median / r.median).toFixed(2)}×`
      console.log(`| ${source} | ${r.impl} | ${(r.median / 1000).toFixed(2)} s | ${rate(r.median).toFixed(1)} MiB/s | ${r.samples.map(ms => rate(ms).toFixed(1)).reverse().join(', ')} | ${ratio} |`)
    }
  }
  if (rows.length > 0) console.log('')
  const p = q => webrtc.ttfb[Math.min(webrtc.ttfb.length - 1, Math.floor(q * webrtc.ttfb.length))]
  const byShare = [...webrtc.rounds].sort((x, y) => x.bridgeMs / x.bitswapMs - y.bridgeMs / y.bitswapMs)
  const middle = byShare[Math.floor(byShare.length / 2)]
  const share = r => r.bridgeMs / r.bitswapMs
  const ttfb = p(0.5)
  console.log(`### Exchange: browser to browser over direct WebRTC (Service Worker nodes, through the page bridges), ${webrtc.rounds.length} rounds\n`)
  console.log('| measure | result | rounds | target | |')
  console.log('|---|---:|---|---|---|')
  console.log(`| raw bridge: throughput test, 64 MiB from the holder to the reader (reference) | ${rate(middle.bridgeMs).toFixed(1)} MiB/s | ${webrtc.rounds.map(r => rate(r.bridgeMs).toFixed(1)).join(', ')} | | |`)
  console.log(`| Bitswap: a 64 MiB file through the reader's gateway route | ${rate(middle.bitswapMs).toFixed(1)} MiB/s | ${webrtc.rounds.map(r => rate(r.bitswapMs).toFixed(1)).join(', ')} | | |`)
  console.log(`| Bitswap as a share of the bridge | ${(share(middle) * 100).toFixed(0)} % | ${webrtc.rounds.map(r => `${(share(r) * 100).toFixed(0)} %`).join(', ')} | ≥ ${TARGET_BRIDGE_SHARE * 100} % | ${share(middle) >= TARGET_BRIDGE_SHARE ? 'met' : 'missed'} |`)
  console.log(`| one round trip between the two workers (libp2p ping on an open stream), p50 of ${webrtc.rtt.length} | ${webrtc.rtt[Math.floor(webrtc.rtt.length / 2)]} ms | min ${webrtc.rtt[0]}, max ${webrtc.rtt.at(-1)} | | |`)
  console.log(`| time to first byte of a /ipfs/<cid>/file miss (64 KiB file), p50 of ${webrtc.ttfb.length} | ${ttfb.toFixed(1)} ms | min ${webrtc.ttfb[0].toFixed(1)}, max ${webrtc.ttfb.at(-1).toFixed(1)} | < ${TARGET_TTFB_MS} ms | ${ttfb < TARGET_TTFB_MS ? 'met' : 'missed'} |`)
  const storedP50 = webrtc.stored[Math.floor(webrtc.stored.length / 2)]
  console.log(`| the same files again, stored (the gateway route alone), p50 of ${webrtc.stored.length} | ${storedP50.toFixed(1)} ms | min ${webrtc.stored[0].toFixed(1)}, max ${webrtc.stored.at(-1).toFixed(1)} | | |`)
  console.log('')
}
