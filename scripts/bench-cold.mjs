// A cold worker: the time from a stopped Service Worker (ServiceWorker.stopAllWorkers over
// CDP) to the first byte of a stored /ipfs/<cid>/file answer, read by a page of the built app,
// against the same request to the running worker; and where the cold time went, from the
// Server-Timing header of the first answer after a start. As the floor, the same measure for a
// worker that does nothing else: a few lines that read the same 64 KiB from IndexedDB and answer.
// Prints tables; never fails on numbers.
import { createServer } from 'node:http'
import { buildApp, installBenchRpc, serveApp, until } from './bench-app.mjs'

const ROUNDS = 21
const TARGET_MS = 50

/** Times one fetch in the page, to the first chunk of the body; returns its Server-Timing too. */
async function firstByte (page, url) {
  return page.evaluate(async url => {
    const started = performance.now()
    const response = await fetch(url)
    const reader = response.body.getReader()
    const { value } = await reader.read()
    const ms = performance.now() - started
    await reader.cancel()
    if (!response.ok || value === undefined) throw new Error(`${url}: HTTP ${response.status}`)
    return { ms, startedAt: performance.timeOrigin + started, timing: response.headers.get('Server-Timing') ?? '' }
  }, url)
}

/** The entries of a Server-Timing value: durations by name, and `origin`'s description. */
function parseTiming (value) {
  const out = {}
  for (const entry of value.split(',')) {
    const [name, ...params] = entry.trim().split(';')
    for (const param of params) {
      const [key, raw] = param.split('=')
      if (key === 'dur') out[name] = Number(raw)
      if (key === 'desc') out[name] = Number(raw.replaceAll('"', ''))
    }
  }
  return out
}

/** The floor's worker: opens IndexedDB, reads one record, answers with it. Nothing else. */
const FLOOR_WORKER = `
self.addEventListener('install', () => self.skipWaiting())
self.addEventListener('activate', event => event.waitUntil(self.clients.claim()))
const open = () => new Promise((resolve, reject) => {
  const request = indexedDB.open('floor', 1)
  request.onupgradeneeded = () => request.result.createObjectStore('files')
  request.onsuccess = () => resolve(request.result)
  request.onerror = () => reject(request.error)
})
self.addEventListener('fetch', event => {
  if (new URL(event.request.url).pathname !== '/file') return
  event.respondWith(open().then(db => new Promise((resolve, reject) => {
    const read = db.transaction('files').objectStore('files').get('file')
    read.onsuccess = () => resolve(new Response(read.result))
    read.onerror = () => reject(read.error)
  })))
})
`

/** Serves the floor's page and worker on a port of its own (an origin of its own). */
async function floorServer () {
  const server = createServer((req, res) => {
    if (req.url === '/floor-sw.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(FLOOR_WORKER)
    } else {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>floor</title>')
    }
  })
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  return { origin: `http://127.0.0.1:${server.address().port}`, stop: () => new Promise(resolve => server.close(resolve)) }
}

/** Stops every worker of the context's CDP session and waits until they are stopped. */
async function stopWorkers (cdp, running) {
  await cdp.send('ServiceWorker.stopAllWorkers')
  await until(async () => [...running.values()].every(status => status === 'stopped'), 'the worker to stop', 10_000)
  // Let the stopped worker's process settle, as between a user's visits.
  await new Promise(resolve => setTimeout(resolve, 300))
}

/** A CDP session that keeps `running` (version → running status) up to date. */
async function watchWorkers (context, page) {
  const cdp = await context.newCDPSession(page)
  const running = new Map()
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const v of versions) running.set(v.versionId, v.runningStatus)
  })
  await cdp.send('ServiceWorker.enable')
  return { cdp, running }
}

/** Cold and warm first bytes of the floor's worker: ROUNDS stops, the first not counted. */
async function floorRounds (browser) {
  const server = await floorServer()
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    await page.goto(`${server.origin}/`)
    await page.evaluate(async () => {
      await navigator.serviceWorker.register('/floor-sw.js')
      await new Promise(resolve => {
        if (navigator.serviceWorker.controller !== null) resolve()
        else navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })
      })
      const db = await new Promise((resolve, reject) => {
        const request = globalThis.indexedDB.open('floor', 1)
        request.onupgradeneeded = () => request.result.createObjectStore('files')
        request.onsuccess = () => resolve(request.result)
        request.onerror = () => reject(request.error)
      })
      await new Promise((resolve, reject) => {
        const tx = db.transaction('files', 'readwrite')
        tx.objectStore('files').put(new Uint8Array(64 * 1024).map((_, i) => i * 7), 'file')
        tx.oncomplete = resolve
        tx.onerror = () => reject(tx.error)
      })
      db.close()
    })
    const { cdp, running } = await watchWorkers(context, page)
    const cold = []
    const warm = []
    for (let round = 0; round < ROUNDS; round++) {
      await stopWorkers(cdp, running)
      cold.push((await firstByte(page, '/file')).ms)
      running.forEach((_, id) => running.set(id, 'running'))
      warm.push((await firstByte(page, '/file')).ms)
    }
    return { cold: cold.slice(1), warm }
  } finally {
    await context.close()
    await server.stop()
  }
}

const p = (values, q) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))]
const ms = v => `${v.toFixed(1)} ms`

/** @param {import('playwright-core').Browser} browser */
export async function runColdBench (browser) {
  console.log('cold worker: building the app…')
  buildApp()
  const app = await serveApp()
  const context = await browser.newContext()
  try {
    await context.addInitScript(installBenchRpc)
    const page = await context.newPage()
    await page.goto(`${app.origin}/#/library`)
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 })
    const root = await page.evaluate(async () => {
      const file = new Blob([new Uint8Array(64 * 1024).map((_, i) => i * 7)])
      return (await globalThis.benchRpc('unixfs.add', { entries: [{ path: 'folder/file.bin', file }] })).root
    })
    const url = `/ipfs/${root}/file.bin`
    const { cdp, running } = await watchWorkers(context, page)
    const cold = []
    const warm = []
    let restartedByPage = 0
    while (cold.length < ROUNDS) {
      await stopWorkers(cdp, running)
      const first = await firstByte(page, url)
      const timing = parseTiming(first.timing)
      running.forEach((_, id) => running.set(id, 'running'))
      // The app page's heartbeat (every 20 s) may have started the worker before the fetch:
      // that answer was not cold. Such rounds are counted apart and run again.
      if (timing.origin === undefined || timing.origin < first.startedAt) {
        restartedByPage++
        continue
      }
      cold.push({ ms: first.ms, workerStart: timing.origin - first.startedAt, ...timing })
      warm.push((await firstByte(page, url)).ms)
    }
    // The first round also compiles what later rounds find cached; it is reported, not counted.
    const counted = cold.slice(1)
    console.log('cold worker: the floor (a worker that only reads the file from IndexedDB)…')
    const floor = await floorRounds(browser)
    const coldP50 = p(counted.map(c => c.ms), 0.5)
    console.log(`### Cold worker: first byte of a stored 64 KiB file (${counted.length} stops, after one uncounted)\n`)
    console.log('| case | p50 | p90 | min–max | target < 50 ms |')
    console.log('|---|---:|---:|---|---|')
    console.log(`| cold (worker stopped) | ${ms(coldP50)} | ${ms(p(counted.map(c => c.ms), 0.9))} | ${ms(p(counted.map(c => c.ms), 0))}–${ms(p(counted.map(c => c.ms), 1))} | ${coldP50 < TARGET_MS ? 'met' : 'missed'} |`)
    console.log(`| warm (worker running) | ${ms(p(warm, 0.5))} | ${ms(p(warm, 0.9))} | ${ms(p(warm, 0))}–${ms(p(warm, 1))} | |`)
    console.log(`| first stop of the run (not counted) | ${ms(cold[0].ms)} | | | |`)
    console.log(`| floor: a worker that only reads the same 64 KiB from IndexedDB, cold | ${ms(p(floor.cold, 0.5))} | ${ms(p(floor.cold, 0.9))} | ${ms(p(floor.cold, 0))}–${ms(p(floor.cold, 1))} | |`)
    console.log(`| floor, warm | ${ms(p(floor.warm, 0.5))} | ${ms(p(floor.warm, 0.9))} | ${ms(p(floor.warm, 0))}–${ms(p(floor.warm, 1))} | |\n`)
    if (restartedByPage > 0) console.log(`(${restartedByPage} round(s) run again: the page's heartbeat had started the worker first)\n`)
    const step = (name, pick) => {
      const values = counted.map(pick)
      const median = p(values, 0.5)
      return `| ${name} | ${ms(median)} | ${Math.round(100 * median / coldP50)} % |`
    }
    const startSteps = c => Math.max(c.db ?? 0, c.wasm ?? 0) + (c.node ?? 0)
    console.log('| step of the cold answer (Server-Timing) | p50 | share of cold p50 |')
    console.log('|---|---:|---:|')
    console.log(step('browser starts the worker (page fetch → worker time origin)', c => c.workerStart))
    console.log(step('worker script evaluated', c => c.script))
    console.log(step('script end → fetch event', c => c.dispatch))
    console.log(step('IndexedDB opened (in parallel with WASM)', c => c.db ?? 0))
    console.log(step('WASM module ready (in parallel with IndexedDB)', c => c.wasm ?? 0))
    console.log(step('node start (imports recovered, exchange settings)', c => c.node ?? 0))
    console.log(step('gateway read and answer (after the start)', c => c.answer - startSteps(c)))
    console.log(step('answer → first byte in the page', c => c.ms - c.workerStart - c.script - c.dispatch - c.answer))
    console.log('')
  } finally {
    await context.close()
    app.stop()
  }
}
