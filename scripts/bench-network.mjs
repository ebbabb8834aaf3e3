// The network benchmark (issue: "the node goes online"): chat latency and throughput between
// two Chromium profiles, through the relay and over direct WebRTC, for Cairn's Service Worker
// node (WebRTC through the page bridge) and, as the reference, the same libp2p node hosted by
// a page with the browser's own RTCPeerConnection. Everything runs on this machine: a relay
// (lifted limits), the built app served as `npm start` serves it, and the bench page of the
// Vite server `scripts/bench.mjs` runs. Prints tables; never fails on numbers.
import { buildApp, installBenchRpc, serveApp, until } from './bench-app.mjs'

const ROOM = 'cairn-bench'
/** Chat messages per route; spaced out so the rooms' rate limit (5/s per peer) never bites. */
const LATENCY_SAMPLES = 100
const LATENCY_GAP_MS = 250
const THROUGHPUT_BYTES = 16 * 1024 * 1024
/** Timed tests per route, after one untimed warm-up (the first transfer on a fresh connection ramps up). */
const THROUGHPUT_RUNS = 5
/** The issue's targets. */
const TARGET_P50_MS = 20
const TARGET_BRIDGE_SHARE = 0.7

/**
 * Runs every network case and prints its tables.
 * @param {import('playwright-core').Browser} browser
 * @param {string} benchOrigin where the Vite server serves `bench/network/page-node.html`
 */
export async function runNetworkBench (browser, benchOrigin) {
  console.log('network: building the app (npm run build)…')
  buildApp()

  const { startRelay } = await import('../src/relay/relay.ts')
  const { DEFAULT_RELAY_LIMITS } = await import('../src/relay/limits.ts')
  // Lifted limits: throughput through the relay is one of the measured routes.
  const relay = await startRelay({
    host: '127.0.0.1',
    port: 0,
    announce: [],
    limits: { ...DEFAULT_RELAY_LIMITS, relayedDurationMs: 0, relayedDataBytes: 0, messagesPerSecond: 1000 },
    log: () => {}
  })
  const app = await serveApp()
  const latency = []
  const throughput = []
  try {
    for (const webrtc of [false, true]) {
      const route = webrtc ? 'direct WebRTC' : 'relay'
      console.log(`network: Service Worker node, ${route}…`)
      const result = await measureServiceWorkerPair(browser, app.origin, relay.multiaddrs[0], webrtc)
      latency.push({ route, node: webrtc ? 'Cairn: Service Worker, WebRTC through the page bridge' : 'Cairn: Service Worker', ...result.latency })
      throughput.push({ route, node: webrtc ? 'Cairn: Service Worker, WebRTC through the page bridge' : 'Cairn: Service Worker', ...result.throughput })
    }
    console.log('network: page-hosted libp2p node, relay then direct WebRTC…')
    const reference = await measurePagePair(browser, `${benchOrigin}/bench/network/page-node.html`, relay.multiaddrs[0])
    for (const route of ['relay', 'direct WebRTC']) {
      latency.push({ route, node: 'page-hosted libp2p (reference)', ...reference[route].latency })
      throughput.push({ route, node: 'page-hosted libp2p (reference)', ...reference[route].throughput })
    }
  } finally {
    app.stop()
    await relay.stop()
  }
  printLatency(latency)
  printThroughput(throughput)
}

/** Installed in every page of the app profiles: chat through the worker's RPC. */
function chatHelpers (room) {
  const arrivals = {}
  new BroadcastChannel('cairn-events').onmessage = ({ data }) => {
    if (data.type === 'room.message') arrivals[data.detail.text] = performance.timeOrigin + performance.now()
  }
  globalThis.benchChat = { send: text => globalThis.benchRpc('rooms.send', { room, text }), arrivals: () => arrivals }
}

/** A browser without WebRTC (the page cannot host it), so its node stays on the relay. */
function withoutWebRTC () {
  delete globalThis.RTCPeerConnection
  delete globalThis.webkitRTCPeerConnection
}

/** Opens the app in a fresh profile, points its node at the relay and joins the bench room. */
async function appProfile (browser, origin, relay, webrtc) {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] })
  await context.addInitScript(installBenchRpc)
  await context.addInitScript(chatHelpers, ROOM)
  if (!webrtc) await context.addInitScript(withoutWebRTC)
  const page = await context.newPage()
  page.on('pageerror', err => console.error('page error:', err.message))
  await page.goto(`${origin}/`)
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 })
  await page.evaluate(r => globalThis.benchRpc('settings.set', { relays: [r], allowLocalAddresses: true, iceServers: [] }), relay)
  await until(async () => (await page.evaluate(() => globalThis.benchRpc('node.status', {}))).state === 'online', 'the node to be online')
  await page.evaluate(room => globalThis.benchRpc('rooms.join', { room }), ROOM)
  const { peerId } = await page.evaluate(() => globalThis.benchRpc('node.status', {}))
  return { context, page, peerId }
}

/** Latency and throughput between two Service Worker nodes, on the relay or over WebRTC. */
async function measureServiceWorkerPair (browser, origin, relay, webrtc) {
  const a = await appProfile(browser, origin, relay, webrtc)
  const b = await appProfile(browser, origin, relay, webrtc)
  try {
    const connections = async () => (await a.page.evaluate(() => globalThis.benchRpc('peers.list', {}))).connections.filter(c => c.peerId === b.peerId)
    if (webrtc) {
      await until(async () => (await connections()).some(c => c.kind === 'webrtc'), 'the direct WebRTC upgrade', 90_000)
    } else {
      const circuit = (await b.page.evaluate(() => globalThis.benchRpc('peers.list', {}))).addresses.find(ma => ma.includes('/p2p-circuit') && !ma.includes('/webrtc'))
      if (circuit === undefined) throw new Error('the second node has no relayed address')
      await a.page.evaluate(address => globalThis.benchRpc('peers.dial', { address }), circuit)
    }
    await until(async () => (await a.page.evaluate(room => globalThis.benchRpc('rooms.history', { room }), ROOM)).members.some(m => m.peerId === b.peerId), 'the room members to see each other')
    const latency = await measureLatency(a.page, b.page)
    const throughput = await measureThroughput(async () => a.page.evaluate(
      ({ peerId, bytes }) => globalThis.benchRpc('peers.throughput', { peerId, bytes }), { peerId: b.peerId, bytes: THROUGHPUT_BYTES }),
    webrtc ? '/webrtc' : '/p2p-circuit')
    return { latency, throughput }
  } finally {
    await a.context.close()
    await b.context.close()
  }
}

/** Latency and throughput between two page-hosted nodes: on the relay first, then over WebRTC. */
async function measurePagePair (browser, url, relay) {
  const open = async () => {
    const context = await browser.newContext({ permissions: ['camera', 'microphone'] })
    const page = await context.newPage()
    page.on('pageerror', err => console.error('page error:', err.message))
    await page.goto(url)
    await page.waitForFunction(() => window.pageNode !== undefined, undefined, { timeout: 60_000 })
    await page.evaluate(r => window.pageNode.dial(r), relay)
    await until(() => page.evaluate(() => window.pageNode.reachable()), 'a relay reservation')
    return { context, page, peerId: await page.evaluate(() => window.pageNode.peerId) }
  }
  const a = await open()
  const b = await open()
  const run = async via => {
    await until(() => a.page.evaluate(peer => window.pageNode.subscribed(peer), b.peerId), 'the pubsub subscription')
    const latency = await measureLatency(a.page, b.page)
    const throughput = await measureThroughput(() => a.page.evaluate(({ peer, bytes }) => window.pageNode.throughput(peer, bytes), { peer: b.peerId, bytes: THROUGHPUT_BYTES }), via)
    return { latency, throughput }
  }
  try {
    const relayed = `${relay}/p2p-circuit/p2p/${b.peerId}`
    await a.page.evaluate(address => window.pageNode.dial(address), relayed)
    const overRelay = await run('/p2p-circuit')
    await dialDirect(a.page, `${relay}/p2p-circuit/webrtc/p2p/${b.peerId}`)
    await a.page.evaluate(peer => window.pageNode.keepOnlyDirect(peer), b.peerId)
    await b.page.evaluate(peer => window.pageNode.keepOnlyDirect(peer), a.peerId)
    // Gossipsub learns about the direct connection from identify; give it a heartbeat.
    await new Promise(resolve => setTimeout(resolve, 2000))
    return { relay: overRelay, 'direct WebRTC': await run('/webrtc') }
  } finally {
    await a.context.close()
    await b.context.close()
  }
}

/** Dials a page node's peer over WebRTC, again if ICE did not connect (as Cairn's upgrader redials). */
async function dialDirect (page, address, attempts = 3) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await page.evaluate(a => window.pageNode.dial(a), address)
    } catch (err) {
      if (attempt === attempts) throw err
      console.log(`network: WebRTC dial failed (${err.message.split('\n')[0]}), dialing again…`)
    }
  }
}

/**
 * Sends `LATENCY_SAMPLES` chat messages from one page and reads when each arrived on the
 * other, through the `benchChat` both kinds of page have; both clocks are this machine's.
 */
async function measureLatency (from, to) {
  const sent = await from.evaluate(async ({ n, gap }) => {
    const times = {}
    for (let i = 0; i < n; i++) {
      const text = `latency ${i}`
      times[text] = performance.timeOrigin + performance.now()
      await globalThis.benchChat.send(text)
      await new Promise(resolve => setTimeout(resolve, gap))
    }
    return times
  }, { n: LATENCY_SAMPLES, gap: LATENCY_GAP_MS })
  await new Promise(resolve => setTimeout(resolve, 2000))
  const arrived = await to.evaluate(() => globalThis.benchChat.arrivals())
  const samples = Object.entries(sent).flatMap(([text, at]) => arrived[text] === undefined ? [] : [arrived[text] - at]).sort((x, y) => x - y)
  const at = q => samples[Math.max(0, Math.ceil(q * samples.length) - 1)]
  return {
    samples: samples.length,
    lost: LATENCY_SAMPLES - samples.length,
    p50: at(0.5),
    p99: at(0.99),
    mean: samples.reduce((s, x) => s + x, 0) / samples.length
  }
}

/** Runs a warm-up and `THROUGHPUT_RUNS` throughput tests; checks they ran on the expected kind of connection. */
async function measureThroughput (test, via) {
  const rates = []
  for (let i = 0; i <= THROUGHPUT_RUNS; i++) {
    const result = await test()
    if (!result.remoteAddr.includes(via) || (via !== '/webrtc' && result.remoteAddr.includes('/webrtc'))) {
      throw new Error(`a throughput test meant for ${via} ran on ${result.remoteAddr}`)
    }
    if (i > 0) rates.push(result.bytesPerSecond)
  }
  rates.sort((x, y) => x - y)
  return { bytesPerSecond: rates[Math.floor(rates.length / 2)], runs: rates }
}


const ms = x => x === undefined ? '—' : `${x.toFixed(1)} ms`
const mibps = x => `${(x / (1024 * 1024)).toFixed(1)} MiB/s`

function printLatency (rows) {
  console.log(`### Network: chat message latency, page to page (${LATENCY_SAMPLES} messages, one every ${LATENCY_GAP_MS} ms)\n`)
  console.log(`| route | node | p50 | p99 | mean | lost | p50 < ${TARGET_P50_MS} ms |`)
  console.log('|---|---|---:|---:|---:|---:|---|')
  for (const r of rows) {
    const verdict = r.node.startsWith('Cairn') ? (r.p50 < TARGET_P50_MS ? 'met' : 'missed') : '(reference)'
    console.log(`| ${r.route} | ${r.node} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.mean)} | ${r.lost} | ${verdict} |`)
  }
  console.log('')
}

function printThroughput (rows) {
  console.log(`### Network: throughput (${THROUGHPUT_RUNS} tests of ${THROUGHPUT_BYTES / (1024 * 1024)} MiB after a warm-up, median; every run listed)\n`)
  console.log(`| route | node | throughput | runs | vs page-hosted | bridge ≥ ${TARGET_BRIDGE_SHARE * 100} % |`)
  console.log('|---|---|---:|---|---:|---|')
  for (const r of rows) {
    const reference = rows.find(x => x.route === r.route && !x.node.startsWith('Cairn'))
    const share = r.bytesPerSecond / reference.bytesPerSecond
    const verdict = r === reference ? '(reference)' : r.route === 'direct WebRTC' ? (share >= TARGET_BRIDGE_SHARE ? 'met' : 'missed') : '—'
    console.log(`| ${r.route} | ${r.node} | ${mibps(r.bytesPerSecond)} | ${r.runs.map(x => (x / (1024 * 1024)).toFixed(1)).join(', ')} | ${r === reference ? 'reference' : `${(share * 100).toFixed(0)} %`} | ${verdict} |`)
  }
  console.log('')
}
