import { expect, test } from '@playwright/test'
import { carOfFolder, type BuiltCar } from './cars.ts'
import { importThroughUi, openApp, siteContent } from './app.ts'

// A wide folder requested all at once, as a page with many images or a script fetching a
// listing's files does: each answer must be right, with no stall, from the app's gateway and
// from the site's own origin (whose worker gets every block through the app's channel).
const FILES = 5000
const AT_ONCE = 200

let wide: BuiltCar

test.beforeAll(async () => {
  // A 64 KiB shard threshold makes the 5000-entry folder a HAMT (with sub-shards).
  const files = Array.from({ length: FILES }, (_, i) => ({ path: `wide/file-${i}.txt`, content: new TextEncoder().encode(`file number ${i}\n`) }))
  wide = await carOfFolder('test/e2e/sites/website', 'wide-folder', files, 64 * 1024)
})

/**
 * Fetches `count` of the folder's `files` at once from `base`, in the page or frame it runs in
 * (self-contained: its source is handed over); returns wrong answers and the p99 in ms.
 */
const fetchAll = async (count: number, files: number, base: string): Promise<{ wrong: string[], p99: number, listed: boolean }> => {
  const picks = Array.from({ length: count }, (_, i) => Math.floor(i * files / count))
  const times: number[] = []
  const wrong: string[] = []
  const listing = fetch(`${base}/wide/`).then(async r => (await r.text()).includes(`file-${files - 1}.txt`))
  await Promise.all(picks.map(async i => {
    const started = performance.now()
    const response = await fetch(`${base}/wide/file-${i}.txt`)
    const text = await response.text()
    times.push(performance.now() - started)
    if (response.status !== 200 || text !== `file number ${i}\n`) wrong.push(`${i}: ${response.status} ${text.slice(0, 40)}`)
  }))
  times.sort((a, b) => a - b)
  return { wrong, p99: times[Math.floor(times.length * 0.99)] ?? 0, listed: await listing }
}

test('200 files of a 5000-entry HAMT folder and its listing, asked at once: every answer right, from the gateway and on the site\'s origin', async ({ page }) => {
  test.setTimeout(180_000)
  await openApp(page)
  await importThroughUi(page, wide)
  // The folder is a HAMT: its UnixFS Data says type 5 (base64 "CAU…" in its DAG-JSON form).
  const folder = await page.evaluate(async url => (await fetch(url)).text(), `/ipfs/${wide.cids.get('wide') ?? ''}?format=dag-json`)
  expect(folder.slice(0, 40)).toContain('"Data":{"/":{"bytes":"CAU')

  const fromGateway = await page.evaluate(`(${fetchAll.toString()})(${AT_ONCE}, ${FILES}, '/ipfs/${wide.root}')`) as Awaited<ReturnType<typeof fetchAll>>
  expect(fromGateway.wrong).toEqual([])
  expect(fromGateway.listed).toBe(true)

  await page.goto(`/#/site/${wide.root}/`)
  const site = await siteContent(page)
  await expect(site.locator('#data')).toHaveText('hello from data.json', { timeout: 30_000 })
  const onSite = await site.evaluate(`(${fetchAll.toString()})(${AT_ONCE}, ${FILES}, '')`) as Awaited<ReturnType<typeof fetchAll>>
  expect(onSite.wrong).toEqual([])
  expect(onSite.listed).toBe(true)
  test.info().annotations.push({ type: 'p99', description: `gateway ${fromGateway.p99.toFixed(0)} ms, site ${onSite.p99.toFixed(0)} ms` })
})
