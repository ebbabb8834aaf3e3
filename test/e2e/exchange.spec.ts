import { createHash } from 'node:crypto'
import { expect, test, type Page } from '@playwright/test'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import type { CID } from 'multiformats/cid'
import { bytesOf } from '../support/bytes.ts'
import { startHelia, startRoutingServer, type TestHelia } from '../support/exchange-peers.ts'
import { explore, openApp, rpcCall, setSources, siteContent } from './app.ts'
import { filesOf } from './cars.ts'
import { startBlocksServer, type BlocksServer } from '../support/blocks-server.ts'

// Cairn in Chromium fetches content it does not hold: from a Helia node in Node.js (its own
// libp2p and Bitswap, over WebSockets on loopback) found through a local delegated routing
// server, and from HTTP trustless gateways, honest, lying and slow. One story, in order.
test.describe.configure({ mode: 'serial', timeout: 120_000 })

const MiB = 1024 * 1024
let helia: TestHelia
let routing: Awaited<ReturnType<typeof startRoutingServer>>
let page: Page
const servers: BlocksServer[] = []

interface AddedFile { root: CID, content: Uint8Array, sha256: string }

async function addFile (node: TestHelia, size: number, seed: number, chunk = MiB): Promise<AddedFile> {
  const content = bytesOf(size, seed)
  const root = await node.fs.addBytes(content, { rawLeaves: true, cidVersion: 1, chunker: fixedSize({ chunkSize: chunk }) })
  return { root, content, sha256: createHash('sha256').update(content).digest('hex') }
}

async function blockOf (node: TestHelia, cid: CID): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = []
  for await (const chunk of node.helia.blockstore.get(cid, { offline: true })) chunks.push(chunk)
  return chunks[0]
}

/** GETs a gateway URL in the page; the status, and the SHA-256 (hex) and length of the body. */
async function download (p: Page, url: string, headers: Record<string, string> = {}): Promise<{ status: number, sha256: string, length: number, head: number[] }> {
  return p.evaluate(async ({ url, headers }) => {
    const response = await fetch(url, { headers })
    const body = new Uint8Array(await response.arrayBuffer())
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', body))
    return { status: response.status, sha256: [...digest].map(b => b.toString(16).padStart(2, '0')).join(''), length: body.length, head: [...body.subarray(0, 100)] }
  }, { url, headers })
}

test.beforeAll(async ({ browser }) => {
  helia = await startHelia()
  routing = await startRoutingServer(() => [{ id: helia.helia.libp2p.peerId, multiaddrs: helia.multiaddrs }])
  page = await (await browser.newContext()).newPage()
  await openApp(page)
})

test.afterAll(async () => {
  await page?.context().close()
  for (const server of servers) await server.stop()
  await routing?.stop()
  await helia?.stop()
})

test('a 20 MiB file a Helia node holds plays by range before it has arrived, then downloads with the right bytes', async () => {
  const file = await addFile(helia, 20 * MiB, 11)
  await setSources(page, { routers: [routing.url], gateways: [] })
  const before = await rpcCall<{ blocks: number }>(page, 'repo.stat')

  // A player seeking to 15 MiB: answered from the one leaf it needs (and the root).
  const at = 15 * MiB + 17
  const range = await download(page, `/ipfs/${file.root}`, { Range: `bytes=${at}-${at + 99}` })
  expect(range.status).toBe(206)
  expect(range.head).toEqual([...file.content.subarray(at, at + 100)])
  const afterRange = await rpcCall<{ blocks: number }>(page, 'repo.stat')
  expect(afterRange.blocks - before.blocks).toBeLessThanOrEqual(3)

  const whole = await download(page, `/ipfs/${file.root}`)
  expect(whole).toMatchObject({ status: 200, length: file.content.length, sha256: file.sha256 })
  expect(routing.lookups).toContain(file.root.toString())

  // The peers page counts what came from Helia over Bitswap.
  await page.goto('/#/peers')
  const row = page.locator(`tr[data-peer="${helia.helia.libp2p.peerId.toString()}"]`).first()
  await expect(row.getByTestId('bitswap-traffic')).toContainText(/↓ 2\d \(20(\.\d)? MiB\)/, { timeout: 10_000 })
})

test('only-if-cached never fetches: 412 for what is not stored, then 200 once it is', async () => {
  const file = await addFile(helia, 300 * 1024, 12)
  const lookups = routing.lookups.length
  const cachedOnly = await download(page, `/ipfs/${file.root}`, { 'Cache-Control': 'only-if-cached' })
  expect(cachedOnly.status).toBe(412)
  expect(routing.lookups.length).toBe(lookups)
  expect((await download(page, `/ipfs/${file.root}`)).sha256).toBe(file.sha256)
  const cached = await download(page, `/ipfs/${file.root}`, { 'Cache-Control': 'only-if-cached' })
  expect(cached).toMatchObject({ status: 200, sha256: file.sha256 })
})

test('a lying gateway is counted in the settings and nothing it sent is kept; the honest one serves', async () => {
  // Another Helia node, not connected to Cairn: its blocks reach Cairn only through HTTP.
  const other = await startHelia()
  try {
    const file = await addFile(other, 3 * MiB, 13, 256 * 1024)
    const liar = await startBlocksServer(async () => new TextEncoder().encode('<html>not your block</html>'))
    const honest = await startBlocksServer(async cid => blockOf(other, cid), 20)
    servers.push(liar, honest)
    await setSources(page, { routers: [], gateways: [liar.url, honest.url] })
    expect((await download(page, `/ipfs/${file.root}`)).sha256).toBe(file.sha256)

    await page.reload()
    const lists = page.getByTestId('gateways-list')
    await expect(lists.locator('li', { hasText: liar.url }).getByTestId('source-stats')).toContainText(/0 blocks .* \d+ wrong/)
    await expect(lists.locator('li', { hasText: honest.url }).getByTestId('source-stats')).toContainText(/1[3-9] blocks/)
    expect(liar.requests).toBeGreaterThan(0)
  } finally {
    await other.stop()
  }
})

test('the Service Worker stopped in the middle of "Fetch everything" keeps every verified block; fetching again finishes', async () => {
  const other = await startHelia()
  try {
    const file = await addFile(other, 5 * MiB, 14, 256 * 1024)
    const slow = await startBlocksServer(async cid => blockOf(other, cid), 250, true)
    servers.push(slow)
    await setSources(page, { routers: [], gateways: [slow.url] })
    await explore(page, `/ipfs/${file.root}`)
    await expect(page.getByTestId('resolved')).toBeVisible({ timeout: 30_000 })
    await page.getByRole('button', { name: 'Fetch everything' }).click()
    const progress = page.getByTestId('fetch-progress')
    await expect(progress).toContainText(/fetched [4-9] /, { timeout: 30_000 })
    const stored = (await rpcCall<{ blocks: number }>(page, 'repo.stat')).blocks

    const cdp = await page.context().newCDPSession(page)
    await cdp.send('ServiceWorker.enable')
    await cdp.send('ServiceWorker.stopAllWorkers')
    await page.reload()
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
    expect((await rpcCall<{ blocks: number }>(page, 'repo.stat')).blocks).toBeGreaterThanOrEqual(stored)

    await explore(page, `/ipfs/${file.root}`)
    await page.getByRole('button', { name: 'Fetch everything' }).click()
    const summary = page.getByTestId('fetch-summary')
    await expect(summary).toContainText('Available offline: all 21 blocks', { timeout: 60_000 })
    const fetchedNow = Number(/; (\d+) fetched now/.exec(await summary.textContent() ?? '')?.[1] ?? 21)
    expect(fetchedNow).toBeLessThan(21)
  } finally {
    await other.stop()
  }
})

test('a website a Helia node holds opens in the site viewer, its files fetched as they are needed', async () => {
  let root: CID | undefined
  for await (const entry of helia.fs.addAll([...filesOf('test/e2e/sites/website')], { wrapWithDirectory: true, rawLeaves: true, cidVersion: 1 })) root = entry.cid
  await setSources(page, { routers: [routing.url], gateways: [] })
  await page.goto(`/ipfs/${root?.toString()}/`)
  await expect(page).toHaveURL(new RegExp(`#/site/${root?.toString()}/`))
  const site = await siteContent(page)
  await expect(site.locator('#data')).toHaveText('hello from data.json', { timeout: 30_000 })
  await expect(site.locator('body')).toHaveAttribute('data-script-ran', 'yes')
  await page.goto('/#/explore/')
})

test('the explorer shows what a resolve is fetching and cancels it', async () => {
  const other = await startHelia()
  try {
    const file = await addFile(other, 1024, 16)
    const slow = await startBlocksServer(async cid => blockOf(other, cid), 20_000)
    servers.push(slow)
    await setSources(page, { routers: [], gateways: [slow.url] })
    await explore(page, `/ipfs/${file.root}`)
    const progress = page.getByTestId('resolve-progress')
    await expect(progress).toBeVisible()
    await expect.poll(() => slow.requests).toBe(1)
    await progress.getByRole('button', { name: 'Cancel' }).click()
    await expect(page.getByRole('status')).toContainText('Cancelled. Blocks fetched so far are kept')
    await expect(progress).toBeHidden()
  } finally {
    await other.stop()
  }
})

test('after "Fetch everything" the content works with every source gone and the browser offline', async () => {
  const file = await addFile(helia, 4 * MiB, 15, 256 * 1024)
  await setSources(page, { routers: [routing.url], gateways: [] })
  await explore(page, `/ipfs/${file.root}`)
  await page.getByRole('button', { name: 'Fetch everything' }).click()
  await expect(page.getByTestId('fetch-summary')).toContainText('Available offline: all 17 blocks', { timeout: 60_000 })
  await helia.stop()
  await routing.stop()
  await page.context().setOffline(true)
  expect(await download(page, `/ipfs/${file.root}`)).toMatchObject({ status: 200, sha256: file.sha256 })
  await page.context().setOffline(false)
})
