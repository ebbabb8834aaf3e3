import { readFileSync } from 'node:fs'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { expect, test, type Page } from '@playwright/test'
import { createIPNSRecord, marshalIPNSRecord } from 'ipns'
import { base36 } from 'multiformats/bases/base36'
import { armApp, expectAllBlocked, explore, importThroughUi, openApp, setSources, siteContent } from './app.ts'
import { carOfFolder, type BuiltCar } from './cars.ts'
import { startDohServer, startRoutingServer, type DohServer, type RoutingServer } from '../support/name-servers.ts'

// Names in the browser, against a local routing endpoint and a local DNS-over-HTTPS resolver
// (real HTTP servers; the app reaches them as it reaches public ones): a DNSLink domain that
// points at an IPNS name that points at a website, in the explorer, the gateway and the site
// viewer; then offline after a reload; then the name moving.

let routing: RoutingServer
let doh: DohServer
let website: BuiltCar
let key: PrivateKey
let name: string

test.beforeAll(async () => {
  routing = await startRoutingServer()
  doh = await startDohServer(['json'])
  website = await carOfFolder('test/e2e/sites/website', 'named-website')
  key = await generateKeyPair('Ed25519')
  name = key.publicKey.toCID().toString(base36)
  doh.txt.set('_dnslink.site.example.org', { texts: [`dnslink=/ipns/${name}`], ttl: 60 })
})

test.afterAll(async () => {
  await routing?.stop()
  await doh?.stop()
})

async function publish (value: string, sequence: number): Promise<void> {
  routing.records.set(name, marshalIPNSRecord(await createIPNSRecord(key, value, BigInt(sequence), 3_600_000, { ttlNs: 1_000_000_000n })))
}

async function fetchText (page: Page, path: string): Promise<{ status: number, text: string, state: string | null }> {
  return page.evaluate(async url => {
    const response = await fetch(url)
    return { status: response.status, text: await response.text(), state: response.headers.get('Cairn-Name-State') }
  }, path)
}

test('a DNSLink domain and an IPNS name resolve in the explorer, the gateway and the site viewer, and answer offline after a reload', async ({ page }) => {
  test.setTimeout(120_000)
  await publish(`/ipfs/${website.root}`, 1)
  await openApp(page)
  await setSources(page, { routers: [routing.url], gateways: [], resolvers: [`${doh.url}/dns-query`] })
  await importThroughUi(page, website)

  // The explorer shows the chain: the domain's DNSLink, the name's record, then the content.
  await explore(page, '/ipns/site.example.org')
  const chain = page.getByTestId('name-chain')
  await expect(chain.getByTestId('name-step')).toHaveCount(2, { timeout: 30_000 })
  await expect(chain.getByTestId('name-value').nth(0)).toHaveText(`/ipns/${name}`)
  await expect(chain.getByTestId('name-value').nth(1)).toHaveText(`/ipfs/${website.root}`)
  await expect(chain.getByTestId('name-step').nth(1)).toContainText('signature verified')
  await expect(page.getByTestId('name-resolved')).toHaveText(`/ipfs/${website.root}`)
  await expect(page.getByTestId('block-cid')).toHaveText(website.root)
  // An ipns:// link handed to the app (the protocol handler's ?uri=) opens the same chain.
  await page.goto(`/?uri=${encodeURIComponent('ipns://site.example.org')}`)
  await expect(page.getByTestId('name-chain').getByTestId('name-step')).toHaveCount(2, { timeout: 30_000 })

  // The gateway answers the name's paths as the content's.
  const html = await fetchText(page, `/ipns/${name}/index.html`)
  expect(html.status).toBe(200)
  expect(html.text).toContain('<html')
  expect((await fetchText(page, '/ipns/site.example.org/data.json')).text).toContain('hello from data.json')

  // A navigation to the named website opens it, isolated on the name's own origin, in the site viewer.
  await page.goto(`/ipns/${name}/`)
  await expect(page).toHaveURL(new RegExp(`#/site/ipns/${name}/`))
  const named = await siteContent(page)
  expect(new URL(named.url()).hostname).toBe(`${name}.ipns.ipfs.localhost`)
  await expect(named.locator('#data')).toHaveText('hello from data.json', { timeout: 30_000 })
  // A DNSLink domain's site is on its inlined label.
  await page.goto('/ipns/site.example.org/')
  await expect(page).toHaveURL(/#\/site\/ipns\/site-example-org\//)
  const inlined = await siteContent(page)
  expect(new URL(inlined.url()).hostname).toBe('site-example-org.ipns.ipfs.localhost')
  await expect(inlined.locator('#data')).toHaveText('hello from data.json', { timeout: 30_000 })

  // Every source gone: the kept answers still work after a reload, and say how old they are.
  await routing.stop()
  await doh.stop()
  // Past the record's TTL (1 s): what is kept answers, marked stale.
  await page.waitForTimeout(1500)
  await page.goto('/')
  await page.reload()
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
  const offline = await fetchText(page, '/ipns/site.example.org/data.json')
  expect(offline.status).toBe(200)
  expect(offline.text).toContain('hello from data.json')
  expect(offline.state).toBe('stale')
  await explore(page, '/ipns/site.example.org')
  // The DNSLink answer (TTL 60 s) is still fresh; the IPNS record's (TTL 1 s) is the kept one.
  await expect(page.getByTestId('name-freshness').nth(1)).toContainText('as of', { timeout: 30_000 })
})

test('a name that moves is followed once its TTL passes; the old answer is never brought back by an older record', async ({ page }) => {
  test.setTimeout(120_000)
  routing = await startRoutingServer()
  await publish(`/ipfs/${website.root}/about`, 2)
  await openApp(page)
  await setSources(page, { routers: [routing.url], gateways: [], resolvers: [] })
  await importThroughUi(page, website)
  expect((await fetchText(page, `/ipns/${name}/index.html`)).text).toContain('About this site')
  await publish(`/ipfs/${website.root}`, 3)
  // TTL 1 s: the next answer is the kept one while the name is asked again, then the new one.
  await expect.poll(async () => (await fetchText(page, `/ipns/${name}/index.html`)).text, { timeout: 30_000 }).not.toContain('About this site')
  await publish(`/ipfs/${website.root}/about`, 1)
  await page.waitForTimeout(1500)
  await fetchText(page, `/ipns/${name}/index.html`)
  await page.waitForTimeout(500)
  expect((await fetchText(page, `/ipns/${name}/index.html`)).text).not.toContain('About this site')
  await page.goto('/#/settings')
  await expect(page.getByTestId('routers-list').getByTestId('name-stats')).toContainText(/\b[1-9]\d* invalid/, { timeout: 15_000 })
})

test('a name created in the UI and published under an added site resolves in another browser, a Library pin follows it when it moves, and its key exports in the libp2p protobuf form', async ({ page, browser }) => {
  test.setTimeout(120_000)
  routing = await startRoutingServer()
  await openApp(page)
  await setSources(page, { routers: [routing.url], gateways: [], resolvers: [] })
  await importThroughUi(page, website)
  await page.goto('/#/names')
  await page.getByLabel('Label of a new name').fill('my site')
  await page.getByRole('button', { name: 'Create name' }).click()
  const row = page.getByTestId('name-row')
  await expect(row).toHaveCount(1)
  const id = (await row.getAttribute('data-name')) ?? ''
  await row.getByLabel('CID or path to publish').fill(website.root)
  await row.getByRole('button', { name: 'Publish' }).click()
  await expect(row.getByTestId('name-accepted')).toContainText(new URL(routing.url).host)
  expect(routing.records.has(id)).toBe(true)

  const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'Export key' }).click()])
  const { privateKeyFromProtobuf } = await import('@libp2p/crypto/keys')
  const exported = privateKeyFromProtobuf(new Uint8Array(readFileSync(await download.path())))
  expect(exported.publicKey.toCID().toString(base36)).toBe(id)

  // Following the name from the Library: the pin moves when the name is published elsewhere.
  await page.goto('/#/library')
  await page.getByLabel('CID to pin').fill(`/ipns/${id}`)
  await page.getByRole('button', { name: 'Pin', exact: true }).click()
  const followed = page.locator(`[data-testid=pin-row][data-cid="${website.root}"]`)
  await expect(followed.getByTestId('pin-follows')).toContainText(`/ipns/${id}`)
  const about = website.cids.get('about') ?? ''
  await page.goto('/#/names')
  await page.getByTestId('name-row').getByLabel('CID or path to publish').fill(about)
  await page.getByTestId('name-row').getByRole('button', { name: 'Publish' }).click()
  await expect(page.getByTestId('name-published')).toContainText(about)
  await page.goto('/#/library')
  await page.getByRole('button', { name: 'Check followed names now' }).click()
  await expect(page.locator(`[data-testid=pin-row][data-cid="${about}"]`).getByTestId('pin-follows')).toContainText(`/ipns/${id}`, { timeout: 30_000 })
  await expect(followed).toHaveCount(0)

  const other = await browser.newContext()
  try {
    const second = await other.newPage()
    await openApp(second)
    await setSources(second, { routers: [routing.url], gateways: [], resolvers: [] })
    await importThroughUi(second, website)
    // The name points at the site's "about" folder now.
    expect((await fetchText(second, `/ipns/${id}/index.html`)).text).toContain('About this site')
  } finally {
    await other.close()
  }
})

test('hostile content on a named site\'s own origin fails every escape', async ({ page }) => {
  test.setTimeout(120_000)
  routing = await startRoutingServer()
  const hostile = await carOfFolder('test/e2e/sites/hostile', 'named-hostile')
  const mallory = await generateKeyPair('Ed25519')
  const hostileName = mallory.publicKey.toCID().toString(base36)
  routing.records.set(hostileName, marshalIPNSRecord(await createIPNSRecord(mallory, `/ipfs/${hostile.root}`, 1n, 3_600_000)))
  await openApp(page)
  await setSources(page, { routers: [routing.url], gateways: [], resolvers: [] })
  await importThroughUi(page, hostile)
  // The gateway sends a navigation to the name to the site viewer on the name's origin…
  await page.goto(`/ipns/${hostileName}/`)
  await expect(page).toHaveURL(new RegExp(`#/site/ipns/${hostileName}/`))
  // …where, opened again in an armed app page, the site tries every escape.
  await page.goto('/#/explore/')
  await armApp(page)
  const before = await page.getByTestId('repo-summary').textContent()
  await page.goto(`/#/site/ipns/${hostileName}/`)
  const site = await siteContent(page)
  expect(new URL(site.url()).hostname).toBe(`${hostileName}.ipns.ipfs.localhost`)
  await expect.poll(async () => site.title(), { timeout: 30_000 }).toBe('done')
  expectAllBlocked(JSON.parse(await site.locator('#results').textContent() ?? '{}'))
  expect(await page.evaluate(() => (window as unknown as { hostileMessages: unknown[] }).hostileMessages)).toEqual([])
  await page.goto('/#/explore/')
  await expect(page.getByTestId('repo-summary')).toHaveText(before ?? '')
})
