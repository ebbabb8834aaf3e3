import { expect, test } from '@playwright/test'
import * as dagCbor from '@ipld/dag-cbor'
import * as dagJson from '@ipld/dag-json'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { blake3 as referenceBlake3 } from 'hash-wasm'
import { create as createDigest } from 'multiformats/hashes/digest'
import { CarWriter } from '@ipld/car'
import { explore, openApp, storeNode } from './app.ts'

async function referenceCid (value: unknown, codec: 'dag-cbor' | 'dag-json' = 'dag-cbor'): Promise<string> {
  const bytes = codec === 'dag-cbor' ? dagCbor.encode(value) : dagJson.encode(value)
  return CID.createV1(codec === 'dag-cbor' ? dagCbor.code : dagJson.code, await sha256.digest(bytes)).toString()
}

test('the Service Worker controls the page and the node answers', async ({ page }) => {
  await openApp(page)
  // Each number says what it counts: IPFS blocks stored, and the whole site's storage (the
  // app shell, databases, caches) of its quota, which is never 0 even with no block stored.
  await expect(page.getByTestId('repo-summary')).toHaveText('0 blocks stored · 0 B')
  await expect(page.getByTestId('site-storage')).toContainText(/site storage \S+ \S+ of \S+ \S+/)
  // The boot text is gone once the app has rendered.
  await expect(page.locator('.boot')).toHaveCount(0)
  const manifest = await page.evaluate(async () => (await fetch('/manifest.webmanifest')).json() as Promise<{ name: string }>)
  expect(manifest.name).toContain('Cairn')
})

test('create nodes, get reference CIDs, resolve a path through links', async ({ page }) => {
  await openApp(page)
  const leaf = await storeNode(page, '{"leaf": 1, "big": 18446744073709551615}')
  expect(leaf).toBe(await referenceCid({ leaf: 1, big: 18446744073709551615n }))
  const parent = await storeNode(page, `{"child": {"/": "${leaf}"}, "list": [{"/": "${leaf}"}], "note": "hi"}`)
  expect(parent).toBe(await referenceCid({ child: CID.parse(leaf), list: [CID.parse(leaf)], note: 'hi' }))

  await explore(page, `/ipfs/${parent}/list/0/big`)
  const resolved = page.getByTestId('resolved')
  await expect(resolved).toBeVisible()
  await expect(page.getByTestId('block-cid')).toHaveText(leaf)
  await expect(page.getByTestId('json')).toHaveText('18446744073709551615')
  await expect(page.locator('.crumbs a')).toHaveCount(4)

  await explore(page, `/ipfs/${parent}`)
  await expect(page.getByTestId('codec')).toHaveText('dag-cbor')
  await expect(page.locator('figure.graph figcaption')).toHaveText('2 outgoing links')
  await page.locator('.v-link[data-link-path="child"]').click()
  await expect(page.getByTestId('block-cid')).toHaveText(leaf)
  await expect(page.locator('.crumbs a')).toHaveCount(2)
})

test('dag-json codec and blake3 hash give the reference CIDs', async ({ page }) => {
  await openApp(page)
  const viaJson = await storeNode(page, '{"a": [1, 2.5, "x"]}', { codec: 'dag-json' })
  expect(viaJson).toBe(await referenceCid({ a: [1, 2.5, 'x'] }, 'dag-json'))
  const viaBlake = await storeNode(page, '{"a": 1}', { hash: 'blake3' })
  const digest = Uint8Array.from(Buffer.from(await referenceBlake3(dagCbor.encode({ a: 1 })), 'hex'))
  expect(viaBlake).toBe(CID.createV1(dagCbor.code, createDigest(0x1e, digest)).toString())
  const raw = await storeNode(page, '"hello"', { codec: 'raw' })
  expect(raw).toBe(CID.createV1(0x55, await sha256.digest(new TextEncoder().encode('hello'))).toString())
})

test('DAG-CBOR that DAG-JSON cannot represent is shown in diagnostic notation', async ({ page }) => {
  await openApp(page)
  // {"/": "bafkqaaa"}: a string where DAG-JSON would read a link; valid DAG-CBOR all the same.
  const block = dagCbor.encode({ '/': 'bafkqaaa', note: 'kept as it is' })
  const cid = CID.createV1(dagCbor.code, await sha256.digest(block))
  const { writer, out } = CarWriter.create([cid])
  const parts: Uint8Array[] = []
  const collected = (async () => { for await (const part of out) parts.push(part) })()
  await writer.put({ cid, bytes: block })
  await writer.close()
  await collected
  await page.goto('/#/import')
  await page.getByTestId('car-file').setInputFiles({ name: 'reserved.car', mimeType: 'application/vnd.ipld.car', buffer: Buffer.concat(parts) })
  await expect(page.getByTestId('import-summary')).toBeVisible({ timeout: 30_000 })
  await explore(page, `/ipfs/${cid}`)
  await expect(page.getByTestId('diagnostic')).toContainText('{"/": "bafkqaaa", "note": "kept as it is"}')
  await expect(page.getByTestId('json')).toHaveCount(0)
})

test('inspect a CID', async ({ page }) => {
  await openApp(page)
  const v0 = 'QmQg1v4o9xdT3Q14wh4S7dxZkDjyZ9ssFzFzyep1YrVJBY'
  await page.goto(`/#/inspect/${v0}`)
  await expect(page.getByTestId('version')).toHaveText('CIDv0')
  await expect(page.getByTestId('codec')).toHaveText('dag-pb (0x70)')
  await expect(page.getByTestId('multihash')).toHaveText('sha2-256 (0x12), 32 bytes')
  await expect(page.getByTestId('v1')).toHaveText(CID.parse(v0).toV1().toString())
  await expect(page.locator('table.bases tr')).toHaveCount(6)
})

test('nodes survive a reload and the app works offline', async ({ page, context }) => {
  await openApp(page)
  const cid = await storeNode(page, '{"offline": true}')
  await context.setOffline(true)
  await page.reload()
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
  await explore(page, `/ipfs/${cid}/offline`)
  await expect(page.getByTestId('json')).toHaveText('true')
  await expect(page.getByTestId('repo-summary')).toContainText('1 block stored')
})

test('bad input gets a clear message', async ({ page }) => {
  await openApp(page)
  await page.goto('/#/new')
  await page.locator('#json').fill('{\n  "a": 1,\n  "b": [1, 2,, 3]\n}')
  await page.getByRole('button', { name: 'Store' }).click()
  const error = page.getByRole('alert')
  await expect(error).toHaveAttribute('data-error', 'DagJsonParseError')
  await expect(error).toContainText('line 3, column 14')

  await explore(page, 'not-a-cid')
  await expect(page.getByRole('alert')).toHaveAttribute('data-error', 'InvalidPathError')

  // Not stored, and no peer or gateway reachable here: the explorer says what each source said.
  await explore(page, '/ipfs/bafyreihdb57fdysx5h35urvxz64ros7zvywshber7id6t6c6fek37jgyfe')
  await expect(page.getByRole('alert')).toHaveAttribute('data-error', 'BlockUnavailableError', { timeout: 40_000 })
  await expect(page.getByRole('alert')).toContainText('bitswap: ')
  await expect(page.getByRole('alert')).toContainText('https://trustless-gateway.link: ')

  const cid = await storeNode(page, '{"here": 1}')
  await explore(page, `/ipfs/${cid}/missing`)
  await expect(page.getByRole('alert')).toHaveAttribute('data-error', 'PathNotFoundError')
  await expect(page.getByRole('alert')).toContainText('"missing"')

  await page.goto('/#/inspect/zzz')
  await expect(page.getByRole('alert')).toHaveAttribute('data-error', 'InvalidPathError')
})

test('the node comes back after the browser stops the Service Worker', async ({ page }) => {
  await openApp(page)
  const cid = await storeNode(page, '{"survives": "a restart"}')
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('ServiceWorker.enable')
  await cdp.send('ServiceWorker.stopAllWorkers')
  await explore(page, `/ipfs/${cid}/survives`)
  await expect(page.getByTestId('json')).toHaveText('"a restart"')
})

test('offline, a stopped worker starts with the hot path from its precache and answers stored content, saying where its start went', async ({ page, context }) => {
  await openApp(page)
  const cid = await storeNode(page, '{"cold": "start"}')
  await context.setOffline(true)
  const cdp = await context.newCDPSession(page)
  await cdp.send('ServiceWorker.enable')
  await cdp.send('ServiceWorker.stopAllWorkers')
  const answer = await page.evaluate(async url => {
    const response = await fetch(url)
    return { status: response.status, body: await response.text(), timing: response.headers.get('Server-Timing') ?? '' }
  }, `/ipfs/${cid}?format=dag-json`)
  await context.setOffline(false)
  expect(answer.status).toBe(200)
  expect(JSON.parse(answer.body)).toEqual({ cold: 'start' })
  // The first gateway answer after the start names its steps (DevTools shows them).
  for (const step of ['origin', 'script', 'dispatch', 'db', 'wasm', 'node', 'answer']) expect(answer.timing).toContain(`${step};`)
})

test('the app is installable: manifest linked, icons served', async ({ page }) => {
  await openApp(page)
  const href = await page.locator('link[rel="manifest"]').getAttribute('href')
  expect(href).not.toBeNull()
  const manifest = await page.evaluate(async url => (await fetch(url)).json() as Promise<{ start_url: string, display: string, icons: Array<{ src: string, sizes: string }> }>, href ?? '')
  expect(manifest).toMatchObject({ start_url: '/', display: 'standalone' })
  for (const icon of manifest.icons) {
    const status = await page.evaluate(async src => (await fetch(`/${src}`)).status, icon.src)
    expect(status).toBe(200)
  }
  expect(manifest.icons.map(i => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']))
})
