import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import type { GossipsubOpts } from '@libp2p/gossipsub'
import { createCairnLibp2p, type CairnLibp2p } from '../../src/p2p/create-libp2p.ts'
import { GossipDropCounter } from '../../src/p2p/drop-counter.ts'
import { DEFAULT_RELAY_LIMITS, type RelayLimits } from '../../src/relay/limits.ts'
import { startRelay, type Relay } from '../../src/relay/relay.ts'
import type { ArchiveLimits } from '../../src/relay/room-archive.ts'
import { MemoryBlockstore } from '../../src/content/blockstore/memory-blockstore.ts'
import { BitswapService } from '../../src/exchange/bitswap.ts'
import { RoomService, type RoomEvent, type RoomHistoryBlocks } from '../../src/rooms/room-service.ts'
import { MemoryRoomStore } from '../../src/rooms/room-store.ts'

/** A relay on a free loopback port (with a room archive when `archive` is given). */
export async function testRelay (limits: Partial<RelayLimits> = {}, log?: (line: string) => void, archive?: ArchiveLimits): Promise<Relay> {
  return startRelay({ host: '127.0.0.1', port: 0, announce: [], limits: { ...DEFAULT_RELAY_LIMITS, ...limits }, ...(log !== undefined ? { log } : {}), ...(archive !== undefined ? { archive } : {}) })
}

/** A Node.js Cairn peer with rooms, connected to `relay`. */
export interface TestPeer {
  node: CairnLibp2p
  rooms: RoomService
  events: RoomEvent[]
  drops: GossipDropCounter
  /** Where its rooms keep history blocks (served to peers over Bitswap). */
  blockstore: MemoryBlockstore
  stop: () => Promise<void>
}

/** History blocks: the peer's store first, else Bitswap (the rooms check each block's CID). */
function historyBlocks (blockstore: MemoryBlockstore, bitswap: BitswapService): RoomHistoryBlocks {
  return {
    get: async (cid, options) => {
      if (await blockstore.has(cid)) return blockstore.getBytes(cid)
      const { bytes } = await bitswap.blockBroker.retrieve(cid, { signal: options?.signal ?? AbortSignal.timeout(10_000) })
      await blockstore.put(cid, bytes)
      return bytes
    },
    put: async (cid, bytes) => { await blockstore.put(cid, bytes) }
  }
}

/** Starts a Cairn node in Node.js, dials the relay and starts its rooms. */
export async function testPeer (relay: Relay, options: { presenceIntervalMs?: number, messagesPerSecond?: number, gossipsub?: Partial<GossipsubOpts> } = {}): Promise<TestPeer> {
  const drops = new GossipDropCounter()
  const privateKey = await generateKeyPair('Ed25519')
  const node = await createCairnLibp2p({
    privateKey,
    allowLocalAddresses: true,
    iceServers: [],
    discoveryIntervalMs: 1000,
    gossipsub: { ...drops.options, ...options.gossipsub }
  })
  const blockstore = new MemoryBlockstore()
  const bitswap = new BitswapService({ libp2p: node, blockstore, sharing: () => true })
  await node.start()
  await bitswap.start()
  await node.dial(multiaddr(relay.multiaddrs[0]))
  const events: RoomEvent[] = []
  const rooms = new RoomService({
    pubsub: node.services.pubsub,
    peerId: node.peerId.toString(),
    privateKey,
    history: historyBlocks(blockstore, bitswap),
    // A member known from gossip only: dial it through the relay.
    reach: async peer => {
      if (node.getConnections().some(c => c.remotePeer.toString() === peer)) return
      await node.dial(multiaddr(`${relay.multiaddrs[0]}/p2p-circuit/p2p/${peer}`))
    },
    store: new MemoryRoomStore(),
    emit: event => events.push(event),
    gossipDrops: drops,
    presenceIntervalMs: options.presenceIntervalMs ?? 1000,
    ...(options.messagesPerSecond !== undefined ? { messagesPerSecond: options.messagesPerSecond } : {})
  })
  await rooms.start()
  return { node, rooms, events, drops, blockstore, stop: async () => { rooms.stop(); await bitswap.stop(); await node.stop() } }
}

/** Resolves once `check` holds, polling; rejects with `what` after `ms`. */
export async function eventually (check: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

/** The chat texts a peer has seen in a room. */
export function texts (peer: TestPeer, room: string): string[] {
  return peer.events.flatMap(e => e.type === 'room.message' && e.detail.room === room ? [e.detail.text] : [])
}

/** A room test bed: relays and peers in the room "lobby", all stopped by `stopAll`. */
export interface Lobby {
  /** A relay that does not limit relayed connections (so Bitswap may use them), with an archive if given. */
  relay: (archive?: ArchiveLimits) => Promise<Relay>
  /** A peer on `relay`, nicknamed and in the lobby, announcing itself every 500 ms. */
  peer: (relay: Relay, nick: string) => Promise<TestPeer>
  /** The texts of a peer's lobby history, in order. */
  texts: (peer: TestPeer) => Promise<string[]>
  /** Stops everything started, newest first (call it in `afterEach`). */
  stopAll: () => Promise<void>
}

/** Makes a room test bed. */
export function lobby (): Lobby {
  const running: Array<{ stop: () => Promise<void> }> = []
  return {
    relay: async archive => {
      const r = await testRelay({ relayedDurationMs: 0, relayedDataBytes: 0, messagesPerSecond: 10_000 }, undefined, archive)
      running.push(r)
      return r
    },
    peer: async (relay, nick) => {
      const p = await testPeer(relay, { presenceIntervalMs: 500, messagesPerSecond: 1000 })
      running.push(p)
      await p.rooms.setNick(nick)
      await p.rooms.join('lobby')
      return p
    },
    texts: async p => (await p.rooms.history('lobby')).map(m => m.text),
    stopAll: async () => { await Promise.all(running.splice(0).reverse().map(async r => r.stop())) }
  }
}
