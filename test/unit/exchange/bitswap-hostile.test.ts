import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { createLibp2p, type Libp2p } from 'libp2p'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterEach, describe, expect, it } from 'vitest'
import { ASK_PEER_MS, BITSWAP_PROTOCOL } from '../../../src/exchange/bitswap.ts'
import { decodeMessage, encodeMessage, frame, prefixOf, splitFrames, type ReadMessage } from '../../support/bitswap-wire.ts'
import { startHelia, startHttpServer } from '../../support/exchange-peers.ts'
import { memoryCairn } from '../../support/memory-cairn.ts'

const stops: Array<() => Promise<void>> = []
afterEach(async () => {
  while (stops.length > 0) await stops.pop()?.()
})

async function rawBlock (text: string): Promise<{ cid: CID, bytes: Uint8Array }> {
  const bytes = new TextEncoder().encode(text)
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
}

/** A libp2p peer that speaks Bitswap by hand: it records what it is sent and sends what a test says. */
async function hostilePeer (): Promise<{ node: Libp2p, received: ReadMessage[], streams: () => number, send: (bytes: Uint8Array, to: Libp2p['peerId']) => Promise<void> }> {
  const node = await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0/ws'] },
    transports: [webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: { denyDialMultiaddr: async () => false },
    services: { identify: identify(), ping: ping() }
  })
  const received: ReadMessage[] = []
  let streams = 0
  await node.handle(BITSWAP_PROTOCOL, async stream => {
    streams++
    let pending: Uint8Array = new Uint8Array(0)
    for await (const chunk of stream) {
      const bytes = chunk instanceof Uint8Array ? chunk : chunk.subarray()
      const joined = new Uint8Array(pending.length + bytes.length)
      joined.set(pending)
      joined.set(bytes, pending.length)
      const { frames, rest } = splitFrames(joined)
      for (const f of frames) received.push(decodeMessage(f))
      pending = rest.slice()
    }
  })
  stops.push(async () => { await node.stop() })
  return {
    node,
    received,
    streams: () => streams,
    send: async (bytes, to) => {
      const stream = await node.dialProtocol(to, BITSWAP_PROTOCOL)
      try {
        if (!stream.send(bytes)) await stream.onDrain()
        await stream.close()
      } catch {
        // The other side may reset a stream it refuses; that is what some tests want.
      }
    }
  }
}

async function until (condition: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

describe('Bitswap against a hostile peer (real libp2p nodes on loopback)', () => {
  it('ignores a block that does not match its CID and gets the real one elsewhere; survives garbage and oversized messages', async () => {
    const wanted = await rawBlock('the real block')
    const honest = await startHttpServer(async (_req, res) => {
      await new Promise(resolve => setTimeout(resolve, 600))
      res.end(Buffer.from(wanted.bytes))
    })
    stops.push(honest.stop)
    const { cairn, blockstore } = await memoryCairn({ exchange: { share: true, routers: [], gateways: [{ url: honest.url, enabled: true }] } })
    stops.push(async () => cairn.stop())
    const network = await cairn.network.get()
    const hostile = await hostilePeer()
    await network.dial(hostile.node.getMultiaddrs()[0].toString())
    await until(() => network.bitswap.connectedPeers() === 1)

    const fetching = cairn.blocks.get(wanted.cid)
    await until(() => hostile.received.some(m => m.wanted.some(w => CID.decode(w).equals(wanted.cid))))
    const forged = new TextEncoder().encode('a forged block')
    await hostile.send(frame(encodeMessage({ blocks: [{ prefix: prefixOf(wanted.cid), data: forged }] })), network.node.peerId)
    expect(await fetching).toEqual(wanted.bytes)
    expect(network.peers().bitswap[hostile.node.peerId.toString()]?.blocksReceived).toBe(1)
    expect(await blockstore.stat()).toEqual({ blocks: 1, bytes: wanted.bytes.length })
    expect(await blockstore.has(CID.createV1(raw.code, await sha256.digest(forged)))).toBe(false)

    // Garbage protobuf, then a frame announcing 5 MiB (over the 4 MiB limit): streams refused.
    await hostile.send(frame(new Uint8Array([0xff, 0xff, 0xff, 0x0f, 0x0a, 0x99])), network.node.peerId)
    await hostile.send(frame(new Uint8Array(5 * 1024 * 1024)), network.node.peerId)
    // Still serving: the peer asks for the stored block and gets it.
    await hostile.send(frame(encodeMessage({ wants: [{ cid: wanted.cid, wantType: 0, sendDontHave: true }] })), network.node.peerId)
    await until(() => hostile.received.some(m => m.blocks.some(b => new TextDecoder().decode(b) === 'the real block')))
    expect(await network.ping(hostile.node.peerId.toString())).toBeGreaterThanOrEqual(0)
  })

  it('bounds a flood of wants: each answered DONT_HAVE once, 1024 tracked per peer, and the node keeps serving', async () => {
    const { cairn } = await memoryCairn()
    stops.push(async () => cairn.stop())
    const stored = CID.parse((await cairn.content.dagPut({ json: '{"still":"served"}' })).cid)
    const network = await cairn.network.get()
    const hostile = await hostilePeer()
    await network.dial(hostile.node.getMultiaddrs()[0].toString())
    await until(() => network.bitswap.connectedPeers() === 1)

    const wants = await Promise.all(Array.from({ length: 3000 }, async (_, i) => ({ cid: (await rawBlock(`nobody has ${i}`)).cid, wantType: 1 as const, sendDontHave: true })))
    for (let i = 0; i < wants.length; i += 500) {
      await hostile.send(frame(encodeMessage({ wants: wants.slice(i, i + 500) })), network.node.peerId)
    }
    await new Promise(resolve => setTimeout(resolve, 1500))
    const dontHaves = hostile.received.reduce((n, m) => n + m.dontHaves, 0)
    // Each want gets its DONT_HAVE once; only the newest 1024 stay tracked.
    expect(dontHaves).toBe(3000)
    expect(network.bitswap.peerWants(hostile.node.peerId)).toBe(1024)

    await hostile.send(frame(encodeMessage({ wants: [{ cid: stored, wantType: 0, sendDontHave: true }] })), network.node.peerId)
    await until(() => hostile.received.some(m => m.blocks.length > 0))
  })
})

describe('Bitswap asking chosen peers (retrieveFrom)', () => {
  it('asks only the peers named (a pin\'s origin), and everyone only when they do not answer', async () => {
    const { cairn } = await memoryCairn()
    stops.push(async () => cairn.stop())
    const network = await cairn.network.get()
    const holder = await startHelia()
    stops.push(holder.stop)
    const bystander = await hostilePeer()
    const first = await rawBlock('asked of the holder only')
    const second = await rawBlock('the bystander never answers for this one')
    await holder.helia.blockstore.put(first.cid, first.bytes)
    await holder.helia.blockstore.put(second.cid, second.bytes)
    await network.dial(holder.multiaddrs[0].toString())
    await network.dial(bystander.node.getMultiaddrs()[0].toString())
    await until(() => network.bitswap.connectedPeers() === 2)

    const got = await network.bitswap.retrieveFrom(first.cid, [holder.helia.libp2p.peerId], { signal: AbortSignal.timeout(10_000) })
    expect(new TextDecoder().decode(got.bytes)).toBe('asked of the holder only')
    expect(got.from).toBe(holder.helia.libp2p.peerId.toString())
    await new Promise(resolve => setTimeout(resolve, 300))
    const wantedOf = (cid: CID): number => bystander.received.filter(m => m.wanted.some(w => CID.decode(w).equals(cid))).length
    expect(wantedOf(first.cid)).toBe(0)

    // A named peer that stays silent: after ASK_PEER_MS everyone is asked, and the holder sends it.
    const started = Date.now()
    const fallback = await network.bitswap.retrieveFrom(second.cid, [bystander.node.peerId], { signal: AbortSignal.timeout(ASK_PEER_MS + 10_000) })
    expect(new TextDecoder().decode(fallback.bytes)).toBe('the bystander never answers for this one')
    expect(Date.now() - started).toBeGreaterThanOrEqual(ASK_PEER_MS - 100)
    expect(wantedOf(second.cid)).toBeGreaterThanOrEqual(1)
  }, 30_000)
})

describe('Bitswap wants between peers: cancels and one stream per peer', () => {
  it('cancels a want at the peers that did not send the block, and when the fetch is given up; every message on one stream', async () => {
    const { cairn } = await memoryCairn({ exchange: { share: true, routers: [], gateways: [] } })
    stops.push(async () => cairn.stop())
    const network = await cairn.network.get()
    const holder = await startHelia()
    stops.push(holder.stop)
    const bystander = await hostilePeer()
    const block = await rawBlock('the holder sends this one')
    await holder.helia.blockstore.put(block.cid, block.bytes)
    await network.dial(holder.multiaddrs[0].toString())
    await network.dial(bystander.node.getMultiaddrs()[0].toString())
    await until(() => network.bitswap.connectedPeers() === 2)
    const seen = (list: 'wanted' | 'cancelled', cid: CID): boolean => bystander.received.some(m => m[list].some(w => CID.decode(w).equals(cid)))

    // Both peers are asked; the holder answers; the bystander is told the want is over.
    expect(await cairn.blocks.get(block.cid)).toEqual(block.bytes)
    expect(seen('wanted', block.cid)).toBe(true)
    await until(() => seen('cancelled', block.cid))

    // A fetch given up: the want is cancelled at every peer that was asked.
    const nobodyHas = await rawBlock('nobody has this one')
    const giveUp = new AbortController()
    const fetching = cairn.blocks.get(nobodyHas.cid, { signal: giveUp.signal })
    await until(() => seen('wanted', nobodyHas.cid))
    giveUp.abort()
    await expect(fetching).rejects.toThrow()
    await until(() => seen('cancelled', nobodyHas.cid))

    // Four messages or more (two wants, two cancels), one stream: it is kept between messages.
    expect(bystander.received.length).toBeGreaterThanOrEqual(4)
    expect(bystander.streams()).toBe(1)
  }, 30_000)
})
