import * as dagCbor from '@ipld/dag-cbor'
import { expect, test, type Page } from '@playwright/test'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { importThroughUi, openApp, rpcCall } from './app.ts'
import { carOfFolder, writeCar, type BuiltCar } from './cars.ts'

/** A CAR of one DAG-CBOR root linking `count` raw blocks: small ones, or of `blockBytes` each. */
async function carOfBlocks (count: number, name: string, blockBytes?: number): Promise<BuiltCar> {
  const blocks: Array<{ cid: CID, bytes: Uint8Array }> = []
  for (let i = 0; i < count; i++) {
    const bytes = blockBytes === undefined
      ? new TextEncoder().encode(`${name} ${i}`)
      : new Uint8Array(blockBytes).map((_, j) => (i * 7 + j * 13 + (j >> 8)) & 255)
    blocks.push({ cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes })
  }
  const rootBytes = dagCbor.encode({ blocks: blocks.map(b => b.cid) })
  const root = CID.createV1(dagCbor.code, await sha256.digest(rootBytes))
  const file = await writeCar(root, [{ cid: root, bytes: rootBytes }, ...blocks], name)
  return { file, root: root.toString(), cids: new Map() }
}

/** Starts a collection from the page and resolves once it is sweeping (it goes on in the worker). */
async function gcUntilSweeping (page: Page): Promise<void> {
  await page.evaluate(async () => new Promise<void>((resolve, reject) => {
    const channel = new MessageChannel()
    channel.port1.onmessage = ({ data }) => {
      if (data.kind === 'event' && data.event.detail.phase === 'sweep') resolve()
      else if (data.kind !== 'event') reject(new Error(`the collection ended before it swept: ${JSON.stringify(data)}`))
    }
    navigator.serviceWorker.controller?.postMessage({ tag: 'cairn-rpc/1', id: 1, method: 'repo.gc', params: {} }, [channel.port2])
  }))
}

test('imports are pinned; the worker stopped in the middle of a collection leaves every pinned DAG whole', async ({ page }) => {
  test.setTimeout(120_000)
  const website = await carOfFolder('test/e2e/sites/website', 'pinned-website')
  const filler = await carOfBlocks(20_000, 'filler')
  await openApp(page)
  await importThroughUi(page, website)
  await importThroughUi(page, filler)
  const pins = await rpcCall<Array<{ cid: string, name: string, origin: string }>>(page, 'pin.ls')
  expect(pins.map(p => [p.cid, p.name, p.origin])).toEqual([[filler.root, 'filler.car', 'imported'], [website.root, 'pinned-website.car', 'imported']])
  await rpcCall(page, 'pin.rm', { cid: filler.root })
  const before = await rpcCall<{ blocks: number }>(page, 'repo.stat')

  await gcUntilSweeping(page)
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('ServiceWorker.enable')
  await cdp.send('ServiceWorker.stopAllWorkers')
  await page.reload()
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null)

  expect(await rpcCall(page, 'pin.status', { cid: website.root })).toMatchObject({ complete: true, missing: 0 })
  const summary = await rpcCall<{ removedBlocks: number, keptBlocks: number }>(page, 'repo.gc')
  const after = await rpcCall<{ blocks: number }>(page, 'repo.stat')
  expect(after.blocks).toBe(summary.keptBlocks)
  expect(before.blocks - after.blocks).toBe(20_001)
  expect(await rpcCall(page, 'pin.status', { cid: website.root })).toMatchObject({ complete: true, missing: 0 })
})

test('a pin added while a collection runs keeps its content', async ({ page }) => {
  test.setTimeout(120_000)
  const kept = await carOfBlocks(20_000, 'kept-while-collecting')
  const late = await carOfBlocks(300, 'pinned-late')
  await openApp(page)
  await importThroughUi(page, kept)
  await importThroughUi(page, late)
  await rpcCall(page, 'pin.rm', { cid: late.root })
  // The collection starts marking the big pin; the late pin arrives meanwhile.
  await page.evaluate(() => {
    const channel = new MessageChannel()
    ;(window as unknown as { collected: Promise<unknown> }).collected = new Promise(resolve => {
      channel.port1.onmessage = ({ data }) => { if (data.kind !== 'event') resolve(data) }
    })
    navigator.serviceWorker.controller?.postMessage({ tag: 'cairn-rpc/1', id: 1, method: 'repo.gc', params: {} }, [channel.port2])
  })
  await rpcCall(page, 'pin.add', { cid: late.root, name: 'pinned while collecting' })
  const collected = await page.evaluate(async () => (window as unknown as { collected: Promise<{ kind: string, result: { removedBlocks: number } }> }).collected)
  expect(collected.kind).toBe('result')
  expect(collected.result.removedBlocks).toBe(0)
  expect(await rpcCall(page, 'pin.status', { cid: late.root })).toMatchObject({ complete: true, missing: 0, blocks: 301 })
  expect(await rpcCall(page, 'pin.status', { cid: kept.root })).toMatchObject({ complete: true })
})

test('the Library is the home page: pinned imports with their state, rename, unpin, pin by CID, remove unpinned content, offline too', async ({ page, context }) => {
  const site = await carOfFolder('test/e2e/sites/website', 'library-home')
  await openApp(page)
  await importThroughUi(page, site)
  await page.goto('/#/')
  const row = page.locator(`tr[data-cid="${site.root}"]`)
  await expect(row).toContainText('library-home.car')
  await expect(row.getByTestId('pin-status')).toContainText(/complete · \d+ blocks/)

  // Offline, after a reload: the Library still lists and checks it.
  await context.setOffline(true)
  await page.reload()
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
  await expect(page.locator(`tr[data-cid="${site.root}"]`).getByTestId('pin-status')).toContainText('complete')
  await context.setOffline(false)

  await row.getByRole('button', { name: 'Rename' }).click()
  await row.getByLabel('New name').fill('my website')
  await row.getByRole('button', { name: 'Save' }).click()
  await expect(row).toContainText('my website')
  await page.getByRole('button', { name: 'Count' }).click()
  await expect(page.getByTestId('usage')).toContainText(/pinned 9 blocks · .*; cached 0 blocks/)

  // A node made in the explorer is not pinned: removing unpinned content takes it.
  const loose = (await rpcCall<{ cid: string }>(page, 'dag.put', { json: '{"loose":true}' })).cid
  await page.getByRole('button', { name: 'Remove unpinned content' }).click()
  await expect(page.getByTestId('gc-summary')).toContainText('Removed 1 block (')
  expect(await page.evaluate(async cid => (await fetch(`/ipfs/${cid}`, { headers: { 'Cache-Control': 'only-if-cached' } })).status, loose)).toBe(412)

  // Pinning by CID (an incomplete pin: the block is gone) asks for persistent storage.
  await page.getByLabel('CID to pin').fill(loose)
  await page.getByLabel('Name').fill('gone')
  await page.getByRole('button', { name: 'Pin', exact: true }).click()
  const gone = page.locator(`tr[data-cid="${loose}"]`)
  await expect(gone.getByTestId('pin-status')).toContainText('incomplete: 1 block missing')
  await expect(page.getByTestId('persistence-answer')).toBeVisible()

  await row.getByRole('button', { name: 'Unpin' }).click()
  await expect(row).toHaveCount(0)
})

test('content opened but not pinned is listed as recently viewed, with its size; it can be pinned or removed', async ({ page }) => {
  await openApp(page)
  const a = (await rpcCall<{ cid: string }>(page, 'dag.put', { json: '{"opened":"a"}' })).cid
  const b = (await rpcCall<{ cid: string }>(page, 'dag.put', { json: '{"opened":"b"}' })).cid
  for (const cid of [a, b]) expect(await page.evaluate(async url => (await fetch(url)).status, `/ipfs/${cid}`)).toBe(200)
  // The Library is the page already open: load it again to see the new entries.
  await page.reload()
  const rowA = page.locator(`tr[data-testid="recent-row"][data-cid="${a}"]`)
  const rowB = page.locator(`tr[data-testid="recent-row"][data-cid="${b}"]`)
  await expect(rowA).toBeVisible()
  await rowA.getByRole('button', { name: 'Size' }).click()
  await expect(rowA.getByTestId('recent-size')).toContainText('1 block ·')
  await rowA.getByRole('button', { name: 'Remove' }).click()
  await expect(rowA).toHaveCount(0)
  expect(await page.evaluate(async url => (await fetch(url, { headers: { 'Cache-Control': 'only-if-cached' } })).status, `/ipfs/${a}`)).toBe(412)
  await rowB.getByRole('button', { name: 'Pin' }).click()
  await expect(rowB).toHaveCount(0)
  await expect(page.locator(`tr[data-testid="pin-row"][data-cid="${b}"]`)).toBeVisible()

  // The cache budget is a setting kept across reloads.
  await page.locator('select[name=cacheShare]').selectOption('0.25')
  await expect.poll(async () => (await rpcCall<{ cacheShare: number }>(page, 'library.settings')).cacheShare).toBe(0.25)
  await page.reload()
  await expect(page.locator('select[name=cacheShare]')).toHaveValue('0.25')
})

test('a write over the quota (Storage.overrideQuotaForOrigin) says what did not fit and keeps the store as it was', async ({ page, baseURL }) => {
  test.setTimeout(120_000)
  const site = await carOfFolder('test/e2e/sites/website', 'before-the-quota')
  const big = await carOfBlocks(40, 'over-the-quota', 256 * 1024)
  // Set before the worker first runs: an override made later does not reach its writes.
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL as string).origin, quotaSize: 6 * 1024 * 1024 })
  await openApp(page)
  await importThroughUi(page, site)
  const before = await rpcCall<{ blocks: number, bytes: number }>(page, 'repo.stat')

  await page.goto('/#/import')
  await page.getByTestId('car-file').setInputFiles(big.file)
  const alert = page.getByText('over-the-quota.car was rejected; nothing from it was stored.')
  await expect(alert).toBeVisible({ timeout: 30_000 })
  await expect(page.locator('main')).toContainText(/StorageFullError: the browser (refused to store|'s storage for Cairn is full).*\d+ blocks \([\d.]+ MiB\)/)
  await expect(page.locator('main')).toContainText('Free some space: in the Library, remove unpinned content or unpin what you no longer need.')

  // Nothing of the big CAR stayed, nothing before it was lost, also after the worker restarts.
  const check = async (): Promise<void> => {
    expect(await rpcCall(page, 'repo.stat')).toMatchObject({ blocks: before.blocks, bytes: before.bytes })
    expect((await rpcCall<Array<{ cid: string }>>(page, 'pin.ls')).map(p => p.cid)).toEqual([site.root])
    expect(await rpcCall(page, 'pin.status', { cid: site.root })).toMatchObject({ complete: true, missing: 0 })
  }
  await check()
  await cdp.send('ServiceWorker.enable')
  await cdp.send('ServiceWorker.stopAllWorkers')
  await page.reload()
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
  await check()
})
