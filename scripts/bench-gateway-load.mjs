// The gateway under load: a 10 000-entry folder (a HAMT) added to the built app, then its
// listing and 1 000 of its files asked at once — from the app's page (the path gateway) and
// from the site's own origin (the site's worker, every block through the app's channel).
// Every answer is checked; the table gives p50, p99 and the slowest answer, and the app
// worker's JS heap (after a collection) before and after. Never fails on numbers.
import { buildApp, installBenchRpc, serveApp, until } from './bench-app.mjs'
import { fetchWideFolder } from '../test/support/wide-folder.ts'

const FILES = 10_000
const AT_ONCE = 1_000

/** The app worker's JS heap in MB after a collection, through a browser-level CDP session. */
async function workerHeapMb (browser) {
  const cdp = await browser.newBrowserCDPSession()
  try {
    const { targetInfos } = await cdp.send('Target.getTargets')
    const worker = targetInfos.find(t => t.type === 'service_worker' && t.url.endsWith('/sw.js'))
    if (worker === undefined) throw new Error('the app worker is not running')
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: worker.targetId, flatten: false })
    let next = 1
    const ask = (method) => new Promise((resolve, reject) => {
      const id = next++
      const onMessage = ({ sessionId: from, message }) => {
        const reply = JSON.parse(message)
        if (from !== sessionId || reply.id !== id) return
        cdp.off('Target.receivedMessageFromTarget', onMessage)
        if (reply.error !== undefined) reject(new Error(`${method}: ${reply.error.message}`))
        else resolve(reply.result)
      }
      cdp.on('Target.receivedMessageFromTarget', onMessage)
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) })
    })
    await ask('HeapProfiler.collectGarbage')
    const { usedSize } = await ask('Runtime.getHeapUsage')
    await cdp.send('Target.detachFromTarget', { sessionId })
    return usedSize / 1e6
  } finally {
    await cdp.detach()
  }
}

const q = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]

function row (where, result) {
  const sorted = [...result.times].sort((a, b) => a - b)
  const right = `${AT_ONCE - result.wrong.length} of ${AT_ONCE}${result.listed ? ' + listing' : ', listing wrong'}`
  return `| ${where} | ${right} | ${q(sorted, 0.5).toFixed(0)} ms | ${q(sorted, 0.99).toFixed(0)} ms | ${sorted.at(-1).toFixed(0)} ms | ${(result.wallMs / 1000).toFixed(2)} s |`
}

/** @param {import('playwright-core').Browser} browser */
export async function runGatewayLoadBench (browser) {
  console.log(`gateway under load: building the app and adding a ${FILES}-entry folder…`)
  buildApp()
  const app = await serveApp()
  const origin = app.origin.replace('127.0.0.1', 'ipfs.localhost')
  const context = await browser.newContext()
  try {
    await context.addInitScript(installBenchRpc)
    const page = await context.newPage()
    await page.goto(`${origin}/#/library`)
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 })
    const root = await page.evaluate(async files => {
      const encoder = new TextEncoder()
      const entries = Array.from({ length: files }, (_, i) => ({ path: `wide/file-${i}.txt`, file: new Blob([encoder.encode(`file number ${i}\n`)]) }))
      return (await globalThis.benchRpc('unixfs.add', { entries, wrap: true, name: 'wide' })).root
    }, FILES)
    const before = await workerHeapMb(browser)
    const gateway = await page.evaluate(`(${fetchWideFolder.toString()})(${AT_ONCE}, ${FILES}, '/ipfs/${root}')`)
    await page.goto(`${origin}/#/site/${root}/`)
    let site
    await until(async () => (site = page.frames().find(f => /\.ipfs\.localhost/.test(f.url()) && !f.url().includes('/_cairn/'))) !== undefined, 'the site frame', 60_000)
    await until(async () => (await site.evaluate(() => document.body?.textContent ?? '').catch(() => '')).includes('wide'), 'the site listing', 60_000)
    const onSite = await site.evaluate(`(${fetchWideFolder.toString()})(${AT_ONCE}, ${FILES}, '')`)
    const after = await workerHeapMb(browser)
    console.log(`### Gateway under load: a ${FILES}-entry HAMT folder's listing and ${AT_ONCE} of its files asked at once\n`)
    console.log('| from | right answers | p50 | p99 | slowest | all answered in |')
    console.log('|---|---|---:|---:|---:|---:|')
    console.log(row("the app's page (path gateway)", gateway))
    console.log(row("the site's origin (site worker through the app's channel)", onSite))
    console.log(`\napp worker's JS heap after a collection: ${before.toFixed(1)} MB before, ${after.toFixed(1)} MB after\n`)
  } finally {
    await context.close()
    app.stop()
  }
}
