import { readdirSync, readFileSync, statSync } from 'node:fs'
import { mkdtemp, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { bytesSource, referenceRoot } from '../support/unixfs-inputs.ts'
import type { AddEntry } from '../../src/add/add-tree.ts'
import { openApp, rpcCall } from './app.ts'

/** Every file under `dir`, as the folder picker gives them (paths start with the folder's name). */
function folderEntries (dir: string): AddEntry[] {
  const top = dir.split('/').pop() as string
  const out: AddEntry[] = []
  const walk = (at: string): void => {
    for (const name of readdirSync(at)) {
      const full = join(at, name)
      if (statSync(full).isDirectory()) walk(full)
      else out.push({ path: `${top}/${relative(dir, full)}`, file: bytesSource(new Uint8Array(readFileSync(full))) })
    }
  }
  walk(dir)
  return out
}

async function addRoot (page: Page): Promise<string> {
  const root = page.getByTestId('add-root')
  await expect(root).toBeVisible({ timeout: 60_000 })
  return (await root.textContent()) ?? ''
}

test('two files and a folder added from the UI get Kubo\'s CIDs, are pinned, and open offline after a reload', async ({ page, context }) => {
  const a = new TextEncoder().encode('first file\n')
  const b = new Uint8Array(2 * 1024 * 1024 + 5).map((_, i) => (i * 7) & 255)
  await openApp(page)
  await page.goto('/#/add')
  await page.getByTestId('add-files').setInputFiles([
    { name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.from(a) },
    { name: 'b.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(b) }
  ])
  await expect(page.getByTestId('add-selection')).toContainText('2 files')
  await expect(page.locator('input[name=wrap]')).toBeChecked()
  await page.locator('select[name=profile]').selectOption('unixfs-v0-2015')
  await page.getByRole('button', { name: 'Add', exact: true }).click()
  const files = await addRoot(page)
  expect(files).toBe(await referenceRoot([{ path: 'a.txt', file: bytesSource(a) }, { path: 'b.bin', file: bytesSource(b) }], 'unixfs-v0-2015', true))

  await page.getByTestId('add-folder').setInputFiles('test/e2e/sites/website')
  await expect(page.locator('input[name=wrap]')).not.toBeChecked()
  await page.locator('select[name=profile]').selectOption('unixfs-v1-2025')
  await page.getByRole('button', { name: 'Add', exact: true }).click()
  await expect(page.getByTestId('add-root')).not.toHaveText(files)
  const folder = await addRoot(page)
  expect(folder).toBe(await referenceRoot(folderEntries('test/e2e/sites/website'), 'unixfs-v1-2025', false))

  const pins = await rpcCall<Array<{ name: string, origin: string }>>(page, 'pin.ls')
  expect(pins.map(p => [p.name, p.origin])).toEqual([['website', 'added'], ['2 files', 'added']])

  await context.setOffline(true)
  await page.reload()
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
  expect(await page.evaluate(async url => (await fetch(url)).text(), `/ipfs/${files}/a.txt`)).toBe('first file\n')
  expect(await page.evaluate(async url => (await (await fetch(url)).arrayBuffer()).byteLength, `/ipfs/${files}/b.bin`)).toBe(b.length)
  expect(await page.evaluate(async url => (await fetch(url)).status, `/ipfs/${folder}/index.html`)).toBe(200)
  await context.setOffline(false)
})

test('an addition cancelled, or cut short by the worker stopping, leaves nothing', async ({ page }) => {
  test.setTimeout(120_000)
  const dir = await mkdtemp(join(tmpdir(), 'cairn-add-'))
  const big = join(dir, 'big.bin')
  await writeFile(big, '')
  await truncate(big, 400 * 1024 * 1024)
  await openApp(page)
  const before = await rpcCall<{ blocks: number }>(page, 'repo.stat')

  await page.goto('/#/add')
  await page.getByTestId('add-files').setInputFiles(big)
  await page.getByRole('button', { name: 'Add', exact: true }).click()
  await expect(page.getByTestId('add-progress')).toContainText(/[1-9][\d.]* MiB of 400 MiB/, { timeout: 30_000 })
  await page.getByRole('button', { name: 'Cancel' }).click()
  await expect(page.getByTestId('add-cancelled')).toBeVisible()
  await expect.poll(async () => (await rpcCall<{ blocks: number }>(page, 'repo.stat')).blocks, { timeout: 30_000 }).toBe(before.blocks)
  expect(await rpcCall(page, 'pin.ls')).toEqual([])

  await page.getByRole('button', { name: 'Add', exact: true }).click()
  await expect(page.getByTestId('add-progress')).toContainText(/[1-9][\d.]* MiB of 400 MiB/, { timeout: 30_000 })
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('ServiceWorker.enable')
  await cdp.send('ServiceWorker.stopAllWorkers')
  await page.reload()
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
  await expect.poll(async () => (await rpcCall<{ blocks: number }>(page, 'repo.stat')).blocks, { timeout: 30_000 }).toBe(before.blocks)
  expect(await rpcCall(page, 'pin.ls')).toEqual([])
})

test('the manifest declares the share target, the file handlers and the ipfs:// and ipns:// handlers', async ({ page }) => {
  await openApp(page)
  const href = await page.locator('link[rel=manifest]').getAttribute('href')
  const manifest = await page.evaluate(async url => (await fetch(url)).json(), href as string) as {
    share_target: { action: string, method: string, enctype: string, params: { files: Array<{ name: string }> } }
    file_handlers: Array<{ action: string, accept: Record<string, string[]> }>
    protocol_handlers: Array<{ protocol: string, url: string }>
  }
  expect(manifest.share_target).toMatchObject({ action: '/share-target', method: 'POST', enctype: 'multipart/form-data' })
  expect(manifest.share_target.params.files[0].name).toBe('files')
  expect(manifest.file_handlers.map(h => h.action)).toEqual(['/?launch=car', '/?launch=add'])
  expect(manifest.file_handlers[0].accept['application/vnd.ipld.car']).toEqual(['.car'])
  expect(manifest.protocol_handlers).toEqual([{ protocol: 'ipfs', url: '/?uri=%s' }, { protocol: 'ipns', url: '/?uri=%s' }])
})

/** Shares to Cairn as another app would: a real multipart form post to the share target. */
async function share (page: Page, what: { file?: { name: string, text: string }, text?: string }): Promise<void> {
  await page.evaluate(({ file, text }) => {
    const form = document.createElement('form')
    form.method = 'POST'
    form.action = '/share-target'
    form.enctype = 'multipart/form-data'
    if (file !== undefined) {
      const input = document.createElement('input')
      input.type = 'file'
      input.name = 'files'
      const transfer = new DataTransfer()
      transfer.items.add(new File([file.text], file.name, { type: 'text/plain' }))
      input.files = transfer.files
      form.append(input)
    }
    if (text !== undefined) {
      const input = document.createElement('input')
      input.name = 'text'
      input.value = text
      form.append(input)
    }
    document.body.append(form)
    form.submit()
  }, what)
}

test('a file shared from another app (a real multipart form post) opens the Add view with it; shared text with a CID opens the explorer', async ({ page }) => {
  await openApp(page)
  await share(page, { file: { name: 'shared.txt', text: 'shared bytes' } })
  await expect(page.getByTestId('add-selection')).toContainText('1 file')
  await expect(page.getByTestId('add-selection')).toContainText('shared.txt')
  await page.getByRole('button', { name: 'Add', exact: true }).click()
  const root = await addRoot(page)
  expect(root).toBe(await referenceRoot([{ path: 'shared.txt', file: bytesSource(new TextEncoder().encode('shared bytes')) }], 'unixfs-v1-2025', false))

  await share(page, { text: `have a look: ipfs://${root}` })
  await page.waitForURL(url => url.hash.startsWith('#/explore/'))
  expect(decodeURIComponent(new URL(page.url()).hash)).toBe(`#/explore//ipfs/${root}`)
})

test('a file opened with Cairn (launchQueue) goes to Add, a .car to Import; an ipfs:// link opens the content', async ({ page }) => {
  // The system's launch: the launch queue hands the page file handles, as an installed app gets them.
  await page.addInitScript(() => {
    const target = new URL(location.href).searchParams.get('launch')
    if (target === null) return
    const file = target === 'car'
      ? new File([Uint8Array.from(atob(sessionStorage.getItem('car') ?? ''), c => c.charCodeAt(0))], 'opened.car')
      : new File(['opened with Cairn'], 'opened.txt', { type: 'text/plain' })
    // Chromium has its own (read-only) launchQueue: this one shadows it on the window.
    Object.defineProperty(window, 'launchQueue', {
      configurable: true,
      value: { setConsumer: (consumer: (params: unknown) => void) => { consumer({ targetURL: location.href, files: [{ getFile: async () => file }] }) } }
    })
  })
  await openApp(page)
  await page.goto('/?launch=add')
  await expect(page.getByTestId('add-selection')).toContainText('opened.txt')
  await page.getByRole('button', { name: 'Add', exact: true }).click()
  const root = await addRoot(page)

  const car = await page.evaluate(async url => {
    const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer())
    return btoa(String.fromCharCode(...bytes))
  }, `/ipfs/${root}?format=car`)
  await page.evaluate(value => sessionStorage.setItem('car', value), car)
  await page.goto('/?launch=car')
  await expect(page.getByTestId('import-summary')).toBeVisible({ timeout: 30_000 })
  await expect(page.getByTestId('import-roots')).toContainText(root)

  await page.goto(`/?uri=${encodeURIComponent(`ipfs://${root}`)}`)
  await expect(page.locator('body')).toHaveText('opened with Cairn')
})
