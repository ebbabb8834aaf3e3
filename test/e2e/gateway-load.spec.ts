import { expect, test } from '@playwright/test'
import { carOfFolder, type BuiltCar } from './cars.ts'
import { importThroughUi, openApp, siteContent } from './app.ts'
import { fetchWideFolder, type WideFolderResult } from '../support/wide-folder.ts'

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

/** The p99 of a run's times, in ms. */
const p99 = (times: number[]): number => [...times].sort((a, b) => a - b)[Math.floor(times.length * 0.99)] ?? 0

test('200 files of a 5000-entry HAMT folder and its listing, asked at once: every answer right, from the gateway and on the site\'s origin', async ({ page }) => {
  test.setTimeout(180_000)
  await openApp(page)
  await importThroughUi(page, wide)
  // The folder is a HAMT: its UnixFS Data says type 5 (base64 "CAU…" in its DAG-JSON form).
  const folder = await page.evaluate(async url => (await fetch(url)).text(), `/ipfs/${wide.cids.get('wide') ?? ''}?format=dag-json`)
  expect(folder.slice(0, 40)).toContain('"Data":{"/":{"bytes":"CAU')

  const fromGateway = await page.evaluate(`(${fetchWideFolder.toString()})(${AT_ONCE}, ${FILES}, '/ipfs/${wide.root}')`) as WideFolderResult
  expect(fromGateway.wrong).toEqual([])
  expect(fromGateway.listed).toBe(true)

  await page.goto(`/#/site/${wide.root}/`)
  const site = await siteContent(page)
  await expect(site.locator('#data')).toHaveText('hello from data.json', { timeout: 30_000 })
  const onSite = await site.evaluate(`(${fetchWideFolder.toString()})(${AT_ONCE}, ${FILES}, '')`) as WideFolderResult
  expect(onSite.wrong).toEqual([])
  expect(onSite.listed).toBe(true)
  test.info().annotations.push({ type: 'p99', description: `gateway ${p99(fromGateway.times).toFixed(0)} ms, site ${p99(onSite.times).toFixed(0)} ms` })
})
