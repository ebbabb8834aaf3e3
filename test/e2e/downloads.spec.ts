import { expect, test, type Page } from '@playwright/test'
import { extract } from 'it-tar'
import { CID } from 'multiformats/cid'
import { explore, openApp, rpcCall } from './app.ts'
import { hashOf, saveByClick, saveCarByClick, type SavedCar } from './cars.ts'

// Every "Download" link of the app, clicked as a user clicks it: the browser must save a file
// (Playwright's `download` event), and the file must be the content. A fetch of the same URL
// from the page once passed while every one of these links failed in Chromium.

/** Checks a saved CAR holds `root` and every block the node counts in its DAG. */
async function expectWholeDag (page: Page, car: SavedCar, root: string): Promise<void> {
  expect(car.roots).toEqual([root])
  const stat = await rpcCall<{ blocks: number }>(page, 'dag.stat', { cid: root })
  expect(car.blocks.size).toBe(stat.blocks)
  expect(car.blocks.has(root)).toBe(true)
}

test('Download CAR in the Add summary, the Library and the explorer, Download TAR and Download raw block, save the content', async ({ page }) => {
  await openApp(page)
  await page.goto('/#/add')
  await page.getByTestId('add-folder').setInputFiles('test/e2e/sites/website')
  await page.getByRole('button', { name: 'Add', exact: true }).click()
  const rootText = page.getByTestId('add-root')
  await expect(rootText).toBeVisible({ timeout: 60_000 })
  const root = (await rootText.textContent()) ?? ''

  const fromAdd = await saveCarByClick(page, page.getByTestId('add-summary').getByRole('link', { name: 'Download CAR' }))
  expect(fromAdd.name).toBe(`${root}.car`)
  await expectWholeDag(page, fromAdd, root)
  // The page stays where it was: a download is not a navigation away.
  await expect(page.getByTestId('add-summary')).toBeVisible()

  await page.goto('/#/library')
  const row = page.locator(`[data-testid=pin-row][data-cid="${root}"]`)
  await expect(row).toBeVisible()
  await expectWholeDag(page, await saveCarByClick(page, row.getByRole('link', { name: 'Download CAR' })), root)

  await explore(page, `/ipfs/${root}`)
  const links = page.getByTestId('gateway-links')
  await expect(links).toBeVisible()
  await expectWholeDag(page, await saveCarByClick(page, links.getByRole('link', { name: 'Download CAR' })), root)
  // The folder as a TAR: every file of it, read back with a TAR reader.
  const tar = await saveByClick(page, links.getByRole('link', { name: 'Download TAR' }))
  expect(tar.name).toBe(`${root}.tar`)
  const names: string[] = []
  for await (const entry of extract()([tar.bytes])) {
    names.push(entry.header.name)
    for await (const chunk of entry.body) void chunk
  }
  expect(names).toContain(`${root}/index.html`)
  expect(names).toContain(`${root}/img/logo.png`)
  const block = await saveByClick(page, links.getByRole('link', { name: 'Download raw block' }))
  const cid = CID.parse(root)
  expect(block.name).toBe(`${root}.bin`)
  expect(await hashOf(cid.multihash.code, block.bytes)).toEqual(cid.multihash.digest)
})
