import { expect, test } from '@playwright/test'
import { openApp } from './app.ts'

// The gateway hands fetched blocks to the page as soon as they are verified and stores them
// after; a write that then fails reaches every tab as a `blocks.not-kept` event (unit-tested
// in test/unit/content/blocks.test.ts). Chromium's quota override does not refuse small
// IndexedDB writes as they add up, so the event is sent here the way the worker sends it.
test('content shown but not kept: every tab says so, with what to do for a full quota, until dismissed', async ({ page, context }) => {
  await openApp(page)
  const other = await context.newPage()
  await openApp(other)
  await page.evaluate(() => {
    new BroadcastChannel('cairn-events').postMessage({ type: 'blocks.not-kept', detail: { cid: 'bafkreia', error: { name: 'StorageFullError', message: "the browser's storage for Cairn is full." } } })
    new BroadcastChannel('cairn-events').postMessage({ type: 'blocks.not-kept', detail: { cid: 'bafkreib', error: { name: 'StorageFullError', message: "the browser's storage for Cairn is full." } } })
  })
  for (const tab of [page, other]) {
    const notice = tab.getByTestId('not-kept')
    await expect(notice).toContainText('Content you opened was shown but not kept offline (2 blocks)')
    await expect(notice).toContainText("the browser's storage for Cairn is full.")
    await expect(notice.getByRole('link', { name: 'Library' })).toBeVisible()
  }
  await page.getByTestId('not-kept').getByRole('button', { name: 'Dismiss' }).click()
  await expect(page.getByTestId('not-kept')).toBeHidden()
})
