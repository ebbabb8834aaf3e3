import { createHash } from 'node:crypto'
import { expect, test } from '@playwright/test'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { bytesOf } from '../support/bytes.ts'
import { startHelia } from '../support/exchange-peers.ts'
import { importThroughUi, openApp, rpcCall, setSources } from './app.ts'
import { carOfFolder } from './cars.ts'
import { connectionsTo, openOnRelay, peerIdOf, profile } from './p2p.ts'
import { RelayProcess } from './relay-process.ts'

// Two browser profiles on the same relay: A imports a CAR, B opens a file of it and gets the
// blocks from A over their direct WebRTC connection (Bitswap through the page bridges).
test.describe.configure({ timeout: 120_000 })

const relay = new RelayProcess(Number(process.env.E2E_RELAY_PORT ?? 4094))

test.afterAll(async () => {
  await relay.stop()
})

test('a file imported in one browser opens in another, fetched over direct WebRTC', async ({ browser }) => {
  await relay.start()
  const movie = bytesOf(3 * 1024 * 1024 + 333, 21)
  const car = await carOfFolder('test/e2e/sites/website', 'shared-website', [{ path: 'movie.bin', content: movie }])
  const alice = await profile(browser)
  const bob = await profile(browser)
  try {
    const alicePage = await openOnRelay(alice, relay.multiaddr)
    const bobPage = await openOnRelay(bob, relay.multiaddr)
    await importThroughUi(alicePage, car)
    // B has no HTTP sources: whatever it gets comes from a peer.
    await setSources(bobPage, { routers: [], gateways: [] })
    const aliceId = await peerIdOf(alicePage)
    await expect.poll(async () => (await connectionsTo(bobPage, aliceId)).some(c => c.kind === 'webrtc' && c.limited === 'false'), { timeout: 60_000 }).toBe(true)
    // Once direct, the relayed connection is closed: the blocks can only travel over WebRTC.
    await expect.poll(async () => (await connectionsTo(bobPage, aliceId)).map(c => c.kind), { timeout: 30_000 }).toEqual(['webrtc'])

    const got = await bobPage.evaluate(async url => {
      const response = await fetch(url)
      const body = new Uint8Array(await response.arrayBuffer())
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', body))
      return { status: response.status, length: body.length, sha256: [...digest].map(b => b.toString(16).padStart(2, '0')).join('') }
    }, `/ipfs/${car.root}/movie.bin`)
    expect(got).toEqual({ status: 200, length: movie.length, sha256: createHash('sha256').update(movie).digest('hex') })

    const peers = await rpcCall<{ bitswap: Record<string, { blocksReceived: number }> }>(bobPage, 'peers.list')
    expect(peers.bitswap[aliceId]?.blocksReceived).toBeGreaterThanOrEqual(4)
    // A block counts as sent once its message is written, which can finish after B has it.
    const bobId = await peerIdOf(bobPage)
    await expect.poll(async () => (await rpcCall<{ bitswap: Record<string, { blocksSent: number }> }>(alicePage, 'peers.list')).bitswap[bobId]?.blocksSent, { timeout: 10_000 }).toBeGreaterThanOrEqual(4)
  } finally {
    await alice.close()
    await bob.close()
  }
})

test('a node listening on WebRTC-direct is dialled through the page bridge and serves a file', async ({ browser }) => {
  const helia = await startHelia({ webrtcDirect: true })
  const context = await profile(browser)
  try {
    const content = bytesOf(2 * 1024 * 1024 + 5, 22)
    const root = await helia.fs.addBytes(content, { rawLeaves: true, cidVersion: 1, chunker: fixedSize({ chunkSize: 256 * 1024 }) })
    const address = helia.multiaddrs.map(String).find(a => a.includes('/webrtc-direct/'))
    expect(address).toBeDefined()
    const page = await context.newPage()
    await openApp(page)
    await setSources(page, { routers: [], gateways: [] })
    const dialled = await rpcCall<{ peerId: string, kind: string }>(page, 'peers.dial', { address })
    expect(dialled).toEqual({ peerId: helia.helia.libp2p.peerId.toString(), kind: 'webrtc-direct' })
    const got = await page.evaluate(async url => {
      const response = await fetch(url)
      const body = new Uint8Array(await response.arrayBuffer())
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', body))
      return { status: response.status, length: body.length, sha256: [...digest].map(b => b.toString(16).padStart(2, '0')).join('') }
    }, `/ipfs/${root}`)
    expect(got).toEqual({ status: 200, length: content.length, sha256: createHash('sha256').update(content).digest('hex') })
  } finally {
    await context.close()
    await helia.stop()
  }
})
