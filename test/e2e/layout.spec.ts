import { expect, test } from '@playwright/test'
import { openApp } from './app.ts'
import { joinRoom } from './p2p.ts'

test.use({ viewport: { width: 1280, height: 800 } })

test('at 1280 px the rooms sidebar keeps each button on one line, clear of the room', async ({ page }) => {
  await openApp(page)
  await joinRoom(page, 'layout', 'someone with a long nickname')
  const side = page.locator('aside.rooms-side')
  const oneLine = await side.getByRole('button', { name: 'Join' }).boundingBox()
  for (const name of ['Set nickname', 'Set']) {
    const box = await side.getByRole('button', { name, exact: true }).boundingBox()
    expect(box?.height, `"${name}" on one line`).toBe(oneLine?.height)
  }
  const sideBox = await side.boundingBox()
  const roomBox = await page.locator('section.room').boundingBox()
  if (sideBox === null || roomBox === null) throw new Error('the sidebar or the room is not shown')
  expect(sideBox.x + sideBox.width).toBeLessThanOrEqual(roomBox.x)
  for (const button of await side.getByRole('button').all()) {
    const box = await button.boundingBox()
    if (box !== null) expect(box.x + box.width, 'a sidebar button reaching into the room').toBeLessThanOrEqual(roomBox.x)
  }
})
