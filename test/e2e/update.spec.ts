import { expect, test } from '@playwright/test'
import { readFile, writeFile } from 'node:fs/promises'
import { openApp } from './app.ts'

const swFile = new URL('../../dist/sw.js', import.meta.url)

test('a new version waits, and the UI offers to reload into it', async ({ page }) => {
  await openApp(page)
  const original = await readFile(swFile, 'utf8')
  try {
    await writeFile(swFile, `${original}\n// a new release ${Date.now()}\n`)
    await page.evaluate(async () => { await (await navigator.serviceWorker.getRegistration())?.update() })
    const button = page.getByRole('button', { name: 'Reload to update' })
    await expect(button).toBeVisible({ timeout: 30_000 })
    const reloaded = page.waitForEvent('load')
    await button.click()
    await reloaded
    await page.waitForFunction(async () => (await navigator.serviceWorker.getRegistration())?.waiting === null)
    await expect(page.getByRole('button', { name: 'Reload to update' })).toHaveCount(0)
    await expect(page.getByTestId('repo-summary')).toBeVisible()
  } finally {
    await writeFile(swFile, original)
  }
})
