import { logger } from '@libp2p/logger'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import type { BaseBlockstore } from '../content/blockstore/base-blockstore.ts'
import { BitswapService } from '../exchange/bitswap.ts'
import { RoomService, type RoomEvent, type RoomHistoryBlocks } from '../rooms/room-service.ts'
import type { RoomStore } from '../rooms/room-store.ts'
import { connectionKind, type ConnectionKind } from '../lib/connection-kind.ts'
import { createCairnLibp2p, type CairnLibp2p } from './create-libp2p.ts'
import { DirectUpgrader } from './direct-upgrade.ts'
import { GossipDropCounter } from './drop-counter.ts'
import { peersSnapshot, type PeersSnapshot } from './peers.ts'
import { DirectPreference } from './prefer-direct.ts'
import { RelayKeeper, type RelayState } from './relay-keeper.ts'
import { measureThroughput, type ThroughputResult } from './throughput.ts'

const log = logger('cairn:p2p')

/** What the UI shows about the node's connectivity. */
export type NodeState = 'starting' | 'online' | 'offline' | 'no-relay' | 'failed'

/** The settings in force, after defaults are applied. */
export interface EffectiveSettings {
  relays: string[]
  allowLocalAddresses: boolean
  iceServers: string[]
}

/** The node's status, for the header and the peers page. */
export interface NetworkStatus {
  state: NodeState
  peerId?: string
  relays: RelayState[]
  /** Open pages that can host WebRTC connections for the node. */
  webrtcHosts: number
  /** When this worker's node started (ms since the epoch); changes when the worker restarts. */
  startedAt?: number
  error?: string
}

/**
 * Builds the network side of a node (its libp2p node with every service, relays, upgrades,
 * rooms), not started yet: `await service.start()`, later `stop()`.
 */
export async function createNetworkService (init: NetworkServiceInit): Promise<NetworkService> {
  const drops = new GossipDropCounter()
  const node = await createCairnLibp2p({
    privateKey: init.privateKey,
    allowLocalAddresses: init.settings.allowLocalAddresses,
    iceServers: init.settings.iceServers.map(urls => ({ urls })),
    gossipsub: drops.options
  })
  return new NetworkService(init, node, drops)
}

/** What the network tells every open page: room events and its status. */
export type NetworkEvent = RoomEvent | { type: 'node.status', detail: NetworkStatus }

/** A dial from the peers page went nowhere useful. */
export class DialError extends Error {
  override name = 'DialError'
}

/** A PeerId from the peers page; `DialError` when it is not one. */
function parsePeerId (peerId: string): PeerId {
  try {
    return peerIdFromString(peerId)
  } catch {
    throw new DialError(`"${peerId}" is not a PeerId`)
  }
}

/** Everything the network side of the node needs. */
export interface NetworkServiceInit {
  privateKey: PrivateKey
  settings: EffectiveSettings
  roomStore: RoomStore
  /** Receives room events and status changes, for the pages. */
  emit: (event: NetworkEvent) => void
  /** Whether an open page can host a WebRTC connection now. */
  webrtcHosts: () => number
  /** The blocks Bitswap serves to peers. */
  blockstore: BaseBlockstore
  /** Whether to serve them now (the "share stored blocks" setting). */
  sharing: () => boolean
  /** Where the rooms keep and fetch their history blocks. */
  history: RoomHistoryBlocks
}

/**
 * The libp2p side of a Cairn node: the libp2p node itself, its relays (kept connected),
 * direct WebRTC upgrades between peers, Bitswap, and the chat rooms.
 */
export class NetworkService {
  readonly node: CairnLibp2p
  readonly rooms: RoomService
  readonly bitswap: BitswapService
  private readonly keeper: RelayKeeper
  private readonly upgrader: DirectUpgrader
  private readonly direct: DirectPreference
  private readonly init: NetworkServiceInit
  private readonly onRelaysChanged = (): void => { this.emitStatus() }
  readonly startedAt = Date.now()

  /** Use `createNetworkService`, which builds the libp2p node first. */
  constructor (init: NetworkServiceInit, node: CairnLibp2p, drops: GossipDropCounter) {
    this.init = init
    this.node = node
    this.keeper = new RelayKeeper(node, init.settings.relays)
    this.upgrader = new DirectUpgrader(node, { canDial: () => init.webrtcHosts() > 0 })
    this.direct = new DirectPreference(node)
    this.bitswap = new BitswapService({ libp2p: node, blockstore: init.blockstore, sharing: init.sharing })
    this.rooms = new RoomService({
      pubsub: node.services.pubsub,
      peerId: node.peerId.toString(),
      privateKey: init.privateKey,
      history: init.history,
      reach: async peer => { await this.reach(peer) },
      store: init.roomStore,
      emit: init.emit,
      gossipDrops: drops
    })
  }

  /** Starts the node, connects to the relays and rejoins the saved rooms. */
  async start (): Promise<void> {
    await this.node.start()
    this.direct.start()
    this.keeper.addEventListener('change', this.onRelaysChanged)
    this.keeper.start()
    this.upgrader.start()
    await this.bitswap.start()
    await this.rooms.start()
    log('node %s started', this.node.peerId.toString())
  }

  async stop (): Promise<void> {
    this.rooms.stop()
    this.direct.stop()
    this.upgrader.stop()
    this.keeper.removeEventListener('change', this.onRelaysChanged)
    this.keeper.stop()
    await this.bitswap.stop()
    await this.node.stop()
  }

  /** A page offered to host WebRTC: dial what waited for one. */
  webrtcHostsChanged (): void {
    this.upgrader.reconcile()
    this.emitStatus()
  }

  /** The browser says it is online again: retry the relays now. */
  online (): void {
    this.keeper.retryNow()
  }

  status (): NetworkStatus {
    const relays = this.keeper.states
    const state: NodeState = relays.length === 0 ? 'no-relay' : relays.some(r => r.connected) ? 'online' : 'offline'
    return { state, peerId: this.node.peerId.toString(), relays, webrtcHosts: this.init.webrtcHosts(), startedAt: this.startedAt }
  }

  peers (): PeersSnapshot {
    return peersSnapshot(this.node, this.bitswap.peerStats())
  }

  /** Dials a multiaddr from the peers page. */
  async dial (address: string): Promise<{ peerId: string, kind: ConnectionKind }> {
    let ma
    try {
      ma = multiaddr(address.trim())
    } catch (err) {
      throw new DialError(`"${address}" is not a multiaddr: ${(err as Error).message}`)
    }
    try {
      const connection = await this.node.dial(ma, { signal: AbortSignal.timeout(20_000) })
      return { peerId: connection.remotePeer.toString(), kind: connectionKind(connection.remoteAddr.toString()) }
    } catch (err) {
      throw new DialError(`could not dial ${ma.toString()}: ${(err as Error).message}`)
    }
  }

  /**
   * Connects to a room member known from gossip (it has history this node lacks): by the
   * addresses the peer store has, else through each connected relay. A relayed connection
   * is limited, so Bitswap waits for the direct WebRTC upgrade that follows.
   */
  async reach (peer: string): Promise<void> {
    const id = parsePeerId(peer)
    if (this.node.getConnections(id).length > 0) return
    const relays = this.keeper.states.filter(r => r.connected).map(r => `${r.address}/p2p-circuit/p2p/${peer}`)
    for (const target of [id, ...relays.map(address => multiaddr(address))]) {
      try {
        await this.node.dial(target, { signal: AbortSignal.timeout(10_000) })
        return
      } catch (err) {
        log('reaching %s via %s failed: %s', peer, target.toString(), (err as Error).message)
      }
    }
  }

  /** Closes every connection to a peer. */
  async disconnect (peerId: string): Promise<void> {
    await this.node.hangUp(parsePeerId(peerId))
  }

  /** Measures the round trip to a connected peer now, in ms. */
  async ping (peerId: string): Promise<number> {
    return this.node.services.ping.ping(parsePeerId(peerId), { signal: AbortSignal.timeout(10_000) })
  }

  /** Runs a throughput test to a connected peer (see `throughput.ts`). */
  async throughput (peerId: string, bytes: number, onProgress: (sent: number) => void): Promise<ThroughputResult> {
    return measureThroughput(this.node, parsePeerId(peerId), bytes, { onProgress, signal: AbortSignal.timeout(120_000) })
  }

  emitStatus (): void {
    this.init.emit({ type: 'node.status', detail: this.status() })
  }
}
