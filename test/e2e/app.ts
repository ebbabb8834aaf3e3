import { expect, type Frame, type Page } from '@playwright/test'
import type { BuiltCar } from './cars.ts'

/** Opens the app and waits until its Service Worker controls the page. */
export async function openApp (page: Page, hash = ''): Promise<void> {
  await page.goto(`/${hash}`)
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 })
  await expect(page.getByTestId('repo-summary')).toBeVisible()
}

/** Stores a node through the "New node" form and returns its CID. */
export async function storeNode (page: Page, json: string, options: { codec?: string, hash?: string } = {}): Promise<string> {
  // Leave and re-enter the view so no earlier result is on screen. Wait for the other view to
  // render in between: two quick hash changes may otherwise keep the old form (and its choices).
  await page.goto('/#/explore/')
  await expect(page.locator('#path')).toBeVisible()
  await page.goto('/#/new')
  await page.locator('#json').fill(json)
  await page.locator('select[name=codec]').selectOption(options.codec ?? 'dag-cbor')
  await page.locator('select[name=hash]').selectOption(options.hash ?? 'sha2-256')
  await page.getByRole('button', { name: 'Store' }).click()
  const cid = page.getByTestId('new-cid')
  await expect(cid).toBeVisible()
  return (await cid.textContent()) ?? ''
}

/** Resolves a path in the explorer. */
export async function explore (page: Page, path: string): Promise<void> {
  await page.goto(`/#/explore/${encodeURIComponent(path)}`)
}

/** Calls a node method over RPC from the page, as the UI does; the result, or the error's name and message. */
export async function rpcCall<T = unknown> (page: Page, method: string, params: unknown = {}): Promise<T> {
  const reply = await page.evaluate(async ({ method, params }) => {
    const channel = new MessageChannel()
    // Progress events come first for long methods; the answer is the first message that is not one.
    const answer = new Promise<{ kind: string, result?: unknown, error?: { name: string, message: string } }>(resolve => { channel.port1.onmessage = e => { if (e.data.kind !== 'event') resolve(e.data) } })
    navigator.serviceWorker.controller?.postMessage({ tag: 'cairn-rpc/1', id: 1, method, params }, [channel.port2])
    return answer
  }, { method, params })
  if (reply.kind !== 'result') throw new Error(`${method} failed: ${reply.error?.name}: ${reply.error?.message}`)
  return reply.result as T
}

/** Replaces the content sources on the settings page: routing endpoints, trustless gateways and (if given) DNS-over-HTTPS resolvers. */
export async function setSources (page: Page, sources: { routers: string[], gateways: string[], resolvers?: string[], share?: boolean }): Promise<void> {
  await page.goto('/#/settings')
  const form = page.getByTestId('exchange-settings')
  await expect(form).toBeVisible()
  for (const name of ['routers', 'gateways', ...(sources.resolvers === undefined ? [] : ['resolvers'] as const)] as const) {
    const list = form.getByTestId(`${name}-list`)
    while (await list.getByRole('button', { name: 'Remove' }).count() > 0) await list.getByRole('button', { name: 'Remove' }).first().click()
    for (const url of sources[name] ?? []) {
      await list.locator('input.mono').fill(url)
      await list.getByRole('button', { name: 'Add' }).click()
    }
  }
  await form.locator('input[name=share]').setChecked(sources.share ?? true)
  await form.getByRole('button', { name: 'Save sources' }).click()
  await expect(form.getByText('Saved; the next fetch uses them.')).toBeVisible()
}

/** Imports a CAR file through the Import view and waits for its summary. */
export async function importThroughUi (page: Page, car: BuiltCar): Promise<void> {
  await page.goto('/#/import')
  await page.getByTestId('car-file').setInputFiles(car.file)
  await expect(page.getByTestId('import-summary')).toBeVisible({ timeout: 30_000 })
  await expect(page.getByTestId('import-roots')).toContainText(car.root)
}

/** The frame a site runs in (nested in the site viewer). */
export async function siteContent (page: Page): Promise<Frame> {
  const isSite = (url: string): boolean => /\.ip[fn]s\.localhost/.test(url) && !url.includes('/_cairn/')
  await expect.poll(() => page.frames().find(f => isSite(f.url()))?.url() ?? '', { timeout: 30_000 }).not.toBe('')
  const frame = page.frames().find(f => isSite(f.url()))
  if (frame === undefined) throw new Error('no site frame')
  return frame
}

/** Puts secrets in the app's storage and listens where hostile content might reach. */
export async function armApp (page: Page): Promise<void> {
  await page.evaluate(() => {
    localStorage.setItem('cairn-secret', 'x')
    document.cookie = 'cairn_secret=1; path=/'
    const got: unknown[] = []
    const channel = new BroadcastChannel('cairn-test')
    channel.onmessage = event => got.push(event.data)
    ;(window as unknown as { hostileMessages: unknown[] }).hostileMessages = got
  })
}

/** Checks a hostile site's report: every attempt it made was blocked. */
export function expectAllBlocked (results: Record<string, string>): void {
  expect(Object.keys(results).length).toBeGreaterThanOrEqual(10)
  for (const [name, outcome] of Object.entries(results)) expect(`${name}: ${outcome}`).not.toContain('ESCAPED')
}
