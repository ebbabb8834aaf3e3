import { join } from 'node:path'
import { expect, test, type Frame } from '@playwright/test'
import { CID } from 'multiformats/cid'
import { importThroughUi, openApp, siteContent } from './app.ts'
import { fixturesDir } from '../support/fixtures.ts'

// The Web Redirects File spec's fixtures on their own origins in Chromium: a SPA's deep link
// rewritten to its index.html (offline too), a custom 404 page, a redirect inside the site.
const FIXTURES = join(fixturesDir, 'gateway-conformance', 'fixtures', 'redirects_file')
const SPA = 'bafybeib5lboymwd6p2eo4qb2lkueaine577flvsjjeuevmp2nlio72xv5q'
const EXAMPLES = 'QmYBhLYDwVFvxos9h8CGU2ibaY66QNgv8hpfewxaQrPiZj'

test('a SPA opens at any deep link, offline after a reload too; custom 404s and redirects stay on the site\'s origin', async ({ page, context }) => {
  test.setTimeout(120_000)
  await openApp(page)
  await importThroughUi(page, { file: join(FIXTURES, 'redirects-spa.car'), root: SPA, cids: new Map() })
  await importThroughUi(page, { file: join(FIXTURES, 'redirects.car'), root: 'QmQyqMY5vUBSbSxyitJqthgwZunCQjDVtNd8ggVCxzuPQ4', cids: new Map() })

  await page.goto(`/#/site/${SPA}/some/deep/route`)
  await expect((await siteContent(page)).locator('body')).toHaveText('hello world', { timeout: 30_000 })
  await context.setOffline(true)
  await page.reload()
  await expect((await siteContent(page)).locator('body')).toHaveText('hello world', { timeout: 30_000 })
  await context.setOffline(false)

  // The examples site is another origin: wait for its own frame, not the SPA's going away.
  const host = `${CID.parse(EXAMPLES).toV1().toString()}.ipfs.localhost`
  const examplesFrame = async (): Promise<Frame | undefined> => page.frames().find(f => f.url().includes(host) && !f.url().includes('/_cairn/'))
  await page.goto(`/#/site/${EXAMPLES}/not-found/anything`)
  await expect.poll(async () => (await examplesFrame())?.locator('body').textContent().catch(() => ''), { timeout: 30_000 }).toBe('my 404\n')
  await page.goto('/#/explore/')
  await page.goto(`/#/site/${EXAMPLES}/redirect-one`)
  await expect.poll(async () => (await examplesFrame())?.url() ?? '', { timeout: 30_000 }).toMatch(/\/one\.html$/)
  await expect.poll(async () => (await examplesFrame())?.locator('body').textContent().catch(() => '') ?? '', { timeout: 30_000 }).toContain('my one')
})
