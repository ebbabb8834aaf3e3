import { expect, test, type BrowserContext, type Page } from '@playwright/test'
import { RelayProcess } from './relay-process.ts'
import { rpcCall } from './app.ts'
import { saveCarByClick } from './cars.ts'
import { connectionsTo, joinRoom, openOnRelay, peerIdOf, profile, say } from './p2p.ts'

// Two (then three) browser profiles chat through the bundled relay, upgrade to WebRTC, and
// keep chatting when the relay stops. One story, in order: later steps build on earlier ones.
test.describe.configure({ mode: 'serial', timeout: 120_000 })

const relay = new RelayProcess(Number(process.env.E2E_RELAY_PORT ?? 4093))
let alice: BrowserContext
let bob: BrowserContext
let alicePage: Page
let bobPage: Page

test.beforeAll(async ({ browser }) => {
  await relay.start()
  alice = await profile(browser)
  bob = await profile(browser)
  alicePage = await openOnRelay(alice, relay.multiaddr)
  bobPage = await openOnRelay(bob, relay.multiaddr)
})

test.afterAll(async () => {
  await alice?.close()
  await bob?.close()
  await relay.stop()
})

test('two browsers join a room, see each other and exchange messages both ways', async () => {
  await joinRoom(alicePage, 'lobby', 'alice')
  await joinRoom(bobPage, 'lobby', 'bob')
  await expect(alicePage.getByTestId('members')).toContainText('bob', { timeout: 30_000 })
  await expect(bobPage.getByTestId('members')).toContainText('alice', { timeout: 30_000 })
  await say(alicePage, 'hello from alice')
  await expect(bobPage.getByTestId('messages')).toContainText('hello from alice', { timeout: 15_000 })
  await say(bobPage, 'hello from bob')
  await expect(alicePage.getByTestId('messages')).toContainText('hello from bob', { timeout: 15_000 })
})

/** The texts of the open room, in the order shown. */
async function shown (page: Page): Promise<string[]> {
  return page.getByTestId('messages').locator('.text').allTextContents()
}

test('a third browser joins later, sees the conversation so far in order (history by CID), then the next messages', async ({ browser }) => {
  const carol = await profile(browser)
  try {
    const carolPage = await openOnRelay(carol, relay.multiaddr)
    await joinRoom(carolPage, 'lobby', 'carol')
    await expect(alicePage.getByTestId('members')).toContainText('carol', { timeout: 30_000 })
    // Fetched from alice or bob once a direct connection lets Bitswap run (relayed ones are limited).
    await expect.poll(async () => shown(carolPage), { timeout: 90_000 }).toEqual(['hello from alice', 'hello from bob'])
    await expect(carolPage.getByTestId('room-head')).toHaveText(await alicePage.getByTestId('room-head').textContent() ?? '')
    // The history is content: "Download history" saves it as a CAR, and pinning it puts it in the Library.
    const head = await carolPage.getByTestId('room-head').textContent() ?? ''
    const saved = await saveCarByClick(carolPage, carolPage.getByRole('link', { name: 'Download history' }))
    expect(saved.name).toBe('lobby-history.car')
    expect(saved.roots).toEqual([head])
    expect(saved.blocks.size).toBe(2)
    await expect(carolPage.getByRole('link', { name: 'Open in explorer' })).toHaveAttribute('href', `#/explore/${encodeURIComponent(`/ipfs/${head}`)}`)
    await carolPage.getByRole('button', { name: 'Pin history' }).click()
    await expect(carolPage.getByTestId('history-pinned')).toBeVisible()
    expect(await rpcCall(carolPage, 'pin.status', { cid: head })).toMatchObject({ complete: true, blocks: 2, name: 'lobby (room history)' })
    await say(alicePage, 'welcome carol')
    await expect(carolPage.getByTestId('messages')).toContainText('welcome carol', { timeout: 15_000 })
    await say(carolPage, 'thanks')
    await expect(bobPage.getByTestId('messages')).toContainText('thanks', { timeout: 15_000 })
  } finally {
    await carol.close()
  }
})

test('the two upgrade to a direct WebRTC connection, which carries the chat without the relay', async () => {
  const bobId = await peerIdOf(bobPage)
  await expect.poll(async () => (await connectionsTo(alicePage, bobId)).some(c => c.kind === 'webrtc' && c.limited === 'false'), { timeout: 60_000 }).toBe(true)
  await alicePage.goto('/#/peers')
  const direct = alicePage.locator(`tr[data-peer="${bobId}"][data-kind="webrtc"]`)
  await expect(direct).toBeVisible()
  // The throughput test runs on the direct connection, through the page bridge.
  await direct.getByRole('button', { name: 'Throughput' }).click()
  await expect(alicePage.locator('div.peers p[role="status"]')).toHaveText(/^Throughput to …\S+: [\d.]+ (KiB|MiB)\/s \(8\.0 MiB in \d+ ms over \S*\/webrtc\S*\)$/, { timeout: 60_000 })
  expect(await relay.stop()).toBe(0)
  await expect(alicePage.getByTestId('node-status')).toHaveAttribute('data-state', 'offline', { timeout: 30_000 })
  await bobPage.goto('/#/rooms/lobby')
  await alicePage.goto('/#/rooms/lobby')
  await say(bobPage, 'no relay needed')
  await expect(alicePage.getByTestId('messages')).toContainText('no relay needed', { timeout: 20_000 })
})

test('a restarted relay is dialed again', async () => {
  await relay.start()
  await expect(alicePage.getByTestId('node-status')).toHaveAttribute('data-state', 'online', { timeout: 45_000 })
  await expect(bobPage.getByTestId('node-status')).toHaveAttribute('data-state', 'online', { timeout: 45_000 })
})

test('every tab shows the room; closing the page hosting WebRTC closes its connection and another tab takes over', async () => {
  const bobId = await peerIdOf(bobPage)
  const second = await alice.newPage()
  await second.goto('/#/rooms/lobby')
  await expect(second.locator('section.room[data-room="lobby"]')).toBeVisible()
  await say(bobPage, 'to every tab')
  await expect(alicePage.getByTestId('messages')).toContainText('to every tab', { timeout: 15_000 })
  await expect(second.getByTestId('messages')).toContainText('to every tab', { timeout: 15_000 })
  // The first page hosts the WebRTC connection; close it.
  await alicePage.close()
  await expect.poll(async () => (await connectionsTo(second, bobId)).some(c => c.kind === 'webrtc'), { timeout: 60_000 }).toBe(true)
  await say(bobPage, 'still here')
  await expect(second.getByTestId('messages')).toContainText('still here', { timeout: 20_000 })
  alicePage = second
})

test('a concurrent burst from two members ends in one identical order on both', async () => {
  const history = async (page: Page): Promise<string[]> => (await rpcCall<{ messages: Array<{ text: string }> }>(page, 'rooms.history', { room: 'lobby' })).messages.map(m => m.text)
  const burst = async (page: Page, who: string): Promise<void> => {
    await Promise.all(Array.from({ length: 4 }, async (_, i) => rpcCall(page, 'rooms.send', { room: 'lobby', text: `burst ${who} ${i}` })))
  }
  await Promise.all([burst(alicePage, 'alice'), burst(bobPage, 'bob')])
  await expect.poll(async () => (await history(alicePage)).filter(t => t.startsWith('burst')).length, { timeout: 30_000 }).toBe(8)
  await expect.poll(async () => (await history(bobPage)).filter(t => t.startsWith('burst')).length, { timeout: 30_000 }).toBe(8)
  expect(await history(bobPage)).toEqual(await history(alicePage))
})

test('messages sent at the same time show in one order on both pages after every round, and reopening the room moves none', async () => {
  const together = async (page: Page): Promise<string[]> => (await shown(page)).filter(t => t.startsWith('together'))
  await Promise.all([alicePage.goto('/#/rooms/lobby'), bobPage.goto('/#/rooms/lobby')])
  for (let round = 0; round < 4; round++) {
    await Promise.all([say(alicePage, `together alice ${round}`), say(bobPage, `together bob ${round}`)])
    for (const page of [alicePage, bobPage]) await expect.poll(async () => (await together(page)).length, { timeout: 30_000 }).toBe(2 * (round + 1))
    expect(await shown(bobPage)).toEqual(await shown(alicePage))
  }
  const live = await shown(alicePage)
  for (const page of [alicePage, bobPage]) {
    await page.goto('/#/rooms/')
    await page.goto('/#/rooms/lobby')
    await expect.poll(async () => shown(page), { timeout: 15_000 }).toEqual(live)
  }
})

test('when every browser has closed, a new one gets the room\'s history from the relay\'s archive', async ({ browser }) => {
  // The archive restarted with the relay: a new message makes it fetch what came before.
  await say(bobPage, 'last words before closing')
  const history = async (page: Page): Promise<string[]> => (await rpcCall<{ messages: Array<{ text: string }> }>(page, 'rooms.history', { room: 'lobby' })).messages.map(m => m.text)
  const expected = await history(bobPage)
  expect(expected.slice(0, 2)).toEqual(['hello from alice', 'hello from bob'])
  await bobPage.waitForTimeout(5000)
  await alice.close()
  await bob.close()
  const dave = await profile(browser)
  try {
    const davePage = await openOnRelay(dave, relay.multiaddr)
    await joinRoom(davePage, 'lobby', 'dave')
    await expect(davePage.getByTestId('members')).toContainText('archive', { timeout: 30_000 })
    await expect.poll(async () => shown(davePage), { timeout: 60_000 }).toEqual(expected)
  } finally {
    await dave.close()
  }
})
