import { expect, type Page } from '@playwright/test'

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
