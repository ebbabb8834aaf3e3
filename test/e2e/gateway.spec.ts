import { expect, test, type Page } from '@playwright/test'
import { CID } from 'multiformats/cid'
import { carOfFolder, wavTone, type BuiltCar } from './cars.ts'
import { armApp, expectAllBlocked, importThroughUi, openApp, siteContent } from './app.ts'

const SITES = 'test/e2e/sites'

/** Fetches from the app page (so the Service Worker answers). */
async function fetchInPage (page: Page, url: string, headers: Record<string, string> = {}): Promise<{ status: number, headers: Record<string, string>, text: string }> {
  return page.evaluate(async ({ url, headers }) => {
    const response = await fetch(url, { headers })
    return { status: response.status, headers: Object.fromEntries(response.headers), text: await response.text() }
  }, { url, headers })
}

let website: BuiltCar
let hostile: BuiltCar

test.beforeAll(async () => {
  website = await carOfFolder(`${SITES}/website`, 'website', [{ path: 'media/tone.wav', content: wavTone(0.5) }])
  hostile = await carOfFolder(`${SITES}/hostile`, 'hostile')
})

test('CAR import shows progress and a summary, and the content then works offline', async ({ page, context }) => {
  await openApp(page)
  await importThroughUi(page, website)
  await expect(page.getByTestId('import-summary')).toContainText('blocks')
  await expect(page.getByTestId('import-history')).toContainText('website.car')
  await context.setOffline(true)
  await page.reload()
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
  const data = await fetchInPage(page, `/ipfs/${website.root}/data.json`)
  expect(data.status).toBe(200)
  expect(JSON.parse(data.text)).toEqual({ message: 'hello from data.json' })
  expect(data.headers['content-security-policy']).toContain('sandbox')
  // The URI router (what a registered protocol handler sends) leads to the same content.
  const routed = await fetchInPage(page, `/ipfs/?uri=${encodeURIComponent(`ipfs://${website.root}/data.json`)}`)
  expect(JSON.parse(routed.text)).toEqual({ message: 'hello from data.json' })
  await context.setOffline(false)
})

test('a bad CAR is rejected with a clear message and nothing is stored', async ({ page }) => {
  await openApp(page, '#/import')
  const before = await page.getByTestId('repo-summary').textContent()
  await page.getByTestId('car-file').setInputFiles({ name: 'broken.car', mimeType: 'application/vnd.ipld.car', buffer: Buffer.from([0x0a, 0xa1, 0x65, 0x72, 0x6f]) })
  await expect(page.locator('[data-error=CarTruncatedError]')).toBeVisible()
  await expect(page.getByText('broken.car was rejected; nothing from it was stored.')).toBeVisible()
  await page.reload()
  await expect(page.getByTestId('repo-summary')).toHaveText(before ?? '')
})

test('a stored website opens on its own origin with its CSS, image, script and fetch, offline too', async ({ page, context }) => {
  await openApp(page)
  await importThroughUi(page, website)
  await page.goto(`/ipfs/${website.root}/`)
  await expect(page).toHaveURL(new RegExp(`#/site/${website.root}/`))
  const site = await siteContent(page)
  await expect(site.locator('#data')).toHaveText('hello from data.json', { timeout: 30_000 })
  await expect(site.locator('body')).toHaveAttribute('data-script-ran', 'yes')
  expect(await site.locator('#styled').evaluate(e => getComputedStyle(e).color)).toBe('rgb(10, 120, 30)')
  expect(await site.locator('#logo').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(192)
  // Links inside the site stay on its origin.
  await site.locator('#next').click()
  await expect((await siteContent(page)).locator('#styled')).toHaveText('About this site')

  await context.setOffline(true)
  await page.reload()
  const offline = await siteContent(page)
  await expect(offline.locator('#data')).toHaveText('hello from data.json', { timeout: 30_000 })
  expect(await offline.locator('#logo').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(192)
  await context.setOffline(false)
})

test('range requests on an audio file, and a directory listing', async ({ page }) => {
  await openApp(page)
  await importThroughUi(page, website)
  const url = `/ipfs/${website.root}/media/tone.wav`
  const range = await fetchInPage(page, url, { Range: 'bytes=0-43' })
  expect(range.status).toBe(206)
  expect(range.headers['content-range']).toBe('bytes 0-43/4044')
  expect(range.headers['content-type']).toBe('audio/wav')
  const duration = await page.evaluate(async src => new Promise<number>((resolve, reject) => {
    const audio = new Audio()
    audio.onloadedmetadata = () => resolve(audio.duration)
    audio.onerror = () => reject(new Error(`audio error ${audio.error?.code}`))
    audio.src = src
  }), url)
  expect(duration).toBeCloseTo(0.5, 1)
  const listing = await fetchInPage(page, `/ipfs/${website.root}/img/`)
  expect(listing.status).toBe(200)
  expect(listing.text).toContain('logo.png')
  expect(listing.text).toContain(website.cids.get('img/logo.png'))
})

test('hostile content navigated to on the app\'s origin: a page moves to its own origin, an SVG stays sandboxed, both fail every escape', async ({ page, context }) => {
  await openApp(page)
  await importThroughUi(page, hostile)
  await armApp(page)
  const before = await page.getByTestId('repo-summary').textContent()
  const attacker = await context.newPage()
  // An HTML page never runs on the app's origin, not even sandboxed: it moves to its CID's own.
  const pageCid = hostile.cids.get('index.html') ?? ''
  await attacker.goto(`/ipfs/${pageCid}`)
  await expect(attacker).toHaveURL(new RegExp(`#/site/${CID.parse(pageCid).toV1().toString()}/$`))
  const moved = await siteContent(attacker)
  await expect.poll(async () => moved.title(), { timeout: 30_000 }).toBe('done')
  expectAllBlocked(JSON.parse(await moved.locator('#results').textContent() ?? '{}'))
  // Other active content (SVG) is answered on the path gateway, sandboxed.
  const svg = await context.newPage()
  await svg.goto(`/ipfs/${hostile.cids.get('evil.svg')}`)
  await expect(svg).toHaveURL(/\/ipfs\//)
  await expect(svg.locator('#result')).not.toHaveText('running')
  await expect(svg.locator('#result')).toContainText('blocked')
  expect(await page.evaluate(() => (window as unknown as { hostileMessages: unknown[] }).hostileMessages)).toEqual([])
  await page.reload()
  await expect(page.getByTestId('repo-summary')).toHaveText(before ?? '')
  await attacker.close()
  await svg.close()
})

test('a _redirects file over 64 KiB is refused on the site with the reason, and the site\'s pages still open', async ({ page }) => {
  const rules = '/from /to 301\n'
  const big = await carOfFolder(`${SITES}/website`, 'big-redirects', [{ path: '_redirects', content: new TextEncoder().encode(rules.repeat(Math.ceil(65_537 / rules.length)).slice(0, 65_537)) }])
  await openApp(page)
  await importThroughUi(page, big)
  await page.goto(`/#/site/${big.root}/missing-page`)
  await expect((await siteContent(page)).locator('body')).toContainText('redirects file size cannot exceed 65536 bytes; this one is 65537', { timeout: 30_000 })
  await page.goto('/#/explore/')
  await page.goto(`/#/site/${big.root}/`)
  await expect((await siteContent(page)).locator('#data')).toHaveText('hello from data.json', { timeout: 30_000 })
  // A root that cannot be a DNS label (a sha2-512 CID) gets no origin, and the viewer says why.
  await page.goto('/#/site/bafkrgqhhyivzstcz3hhswshfjgy6ertgmnqeleynhwt4dlfsthi4hn7zgh4uvlsb5xncykzapi3ocd4lzogukir6ksdy6wzrnz6ohnv4aglcs/')
  await expect(page.getByTestId('site-error')).toContainText('incompatible with DNS label length limit of 63')
})

test('hostile content on its own origin (subdomain gateway) fails every escape', async ({ page }) => {
  await openApp(page)
  await importThroughUi(page, hostile)
  await armApp(page)
  const before = await page.getByTestId('repo-summary').textContent()
  await page.goto(`/#/site/${hostile.root}/`)
  const site = await siteContent(page)
  await expect.poll(async () => site.title(), { timeout: 30_000 }).toBe('done')
  expectAllBlocked(JSON.parse(await site.locator('#results').textContent() ?? '{}'))
  expect(await page.evaluate(() => (window as unknown as { hostileMessages: unknown[] }).hostileMessages)).toEqual([])
  await page.goto('/#/explore/')
  await expect(page.getByTestId('repo-summary')).toHaveText(before ?? '')
})
