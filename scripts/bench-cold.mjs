// A cold worker: the time from a stopped Service Worker (ServiceWorker.stopAllWorkers over
// CDP) to the first byte of a stored /ipfs/<cid>/file answer, read by a page of the built app,
// against the same request to the running worker; and where the cold time went, from the
// Server-Timing header of the first answer after a start. Prints tables; never fails on numbers.
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
    const cdp = await context.newCDPSession(page)
    let running = new Map()
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      for (const v of versions) running.set(v.versionId, v.runningStatus)
    })
    await cdp.send('ServiceWorker.enable')
    const cold = []
    const warm = []
    let restartedByPage = 0
    while (cold.length < ROUNDS) {
      await cdp.send('ServiceWorker.stopAllWorkers')
      await until(async () => [...running.values()].every(status => status === 'stopped'), 'the worker to stop', 10_000)
      // Let the stopped worker's process settle, as between a user's visits.
      await new Promise(resolve => setTimeout(resolve, 300))
      const first = await firstByte(page, url)
      const timing = parseTiming(first.timing)
      running = new Map([...running].map(([id]) => [id, 'running']))
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
    const coldP50 = p(counted.map(c => c.ms), 0.5)
    console.log(`### Cold worker: first byte of a stored 64 KiB file (${counted.length} stops, after one uncounted)\n`)
    console.log('| case | p50 | p90 | min–max | target < 50 ms |')
    console.log('|---|---:|---:|---|---|')
    console.log(`| cold (worker stopped) | ${ms(coldP50)} | ${ms(p(counted.map(c => c.ms), 0.9))} | ${ms(p(counted.map(c => c.ms), 0))}–${ms(p(counted.map(c => c.ms), 1))} | ${coldP50 < TARGET_MS ? 'met' : 'missed'} |`)
    console.log(`| warm (worker running) | ${ms(p(warm, 0.5))} | ${ms(p(warm, 0.9))} | ${ms(p(warm, 0))}–${ms(p(warm, 1))} | |`)
    console.log(`| first stop of the run (not counted) | ${ms(cold[0].ms)} | | | |\n`)
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
