import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test'
import { openApp } from './app.ts'

/** A browser profile (context) with WebRTC host candidates allowed, as DESIGN.md describes. */
export async function profile (browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ permissions: ['camera', 'microphone'] })
}

/** Opens the app and points its node at `relay` through the settings page. */
export async function openOnRelay (context: BrowserContext, relay: string): Promise<Page> {
  const page = await context.newPage()
  await openApp(page, '#/settings')
  const useServed = page.getByLabel('Use the relay that served this app')
  await useServed.uncheck()
  await page.locator('#relays').fill(relay)
  await page.getByRole('button', { name: 'Save and reconnect' }).click()
  await expect(page.getByText('Saved; the network restarted')).toBeVisible({ timeout: 60_000 })
  await expect(page.getByTestId('node-status')).toHaveAttribute('data-state', 'online', { timeout: 30_000 })
  return page
}

/** Sets the nickname and joins (and opens) a room. */
export async function joinRoom (page: Page, room: string, nick: string): Promise<void> {
  await page.goto('/#/rooms/')
  await page.getByLabel('Nickname').fill(nick)
  await page.getByRole('button', { name: 'Set nickname' }).click()
  await page.getByLabel('Room name').fill(room)
  await page.getByRole('button', { name: 'Join' }).click()
  await expect(page.locator(`section.room[data-room="${room}"]`)).toBeVisible()
}

/** Sends a chat message from the open room. */
export async function say (page: Page, text: string): Promise<void> {
  await page.getByLabel('Message').fill(text)
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(page.getByTestId('messages')).toContainText(text)
}

/** The node's PeerId, from the peers page. */
export async function peerIdOf (page: Page): Promise<string> {
  const rpcResult = await page.evaluate(async () => {
    const channel = new MessageChannel()
    const reply = new Promise<{ result?: { peerId: string } }>(resolve => { channel.port1.onmessage = e => resolve(e.data) })
    navigator.serviceWorker.controller?.postMessage({ tag: 'cairn-rpc/1', id: 1, method: 'node.status', params: {} }, [channel.port2])
    return reply
  })
  return rpcResult.result?.peerId ?? ''
}

/** The connections the peers page lists to `peerId`: their kind and whether limited. */
export async function connectionsTo (page: Page, peerId: string): Promise<Array<{ kind: string, limited: string }>> {
  return page.evaluate(async peer => {
    const channel = new MessageChannel()
    const reply = new Promise<{ result?: { connections: Array<{ peerId: string, kind: string, limited: boolean, remoteAddr: string }> } }>(resolve => { channel.port1.onmessage = e => resolve(e.data) })
    navigator.serviceWorker.controller?.postMessage({ tag: 'cairn-rpc/1', id: 2, method: 'peers.list', params: {} }, [channel.port2])
    const { result } = await reply
    return (result?.connections ?? []).filter(c => c.peerId === peer).map(c => ({ kind: c.kind, limited: String(c.limited), remoteAddr: c.remoteAddr }))
  }, peerId)
}
