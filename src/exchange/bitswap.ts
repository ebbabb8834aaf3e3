import { withBitswap, type BitswapOptions } from '@helia/bitswap'
import { stop } from '@libp2p/interface'
import { defaultLogger, logger } from '@libp2p/logger'
import type { BlockBroker as HeliaBlockBroker, Routing } from '@helia/interface'
import type { HeliaWithLibp2p } from '@helia/libp2p'
import type { Libp2p, PeerId } from '@libp2p/interface'
import { CID } from 'multiformats/cid'
import { hasherFor } from '../content/hashing.ts'
import { RateLimiter } from '../lib/rate-limiter.ts'
import { connectionKind } from '../lib/connection-kind.ts'
import type { BlockBroker, RetrievedBlock } from './broker.ts'
import { KeptStreams } from './kept-streams.ts'
import { ServingStore, type ServingStoreInit } from './serving-store.ts'
import { WantCancels, type QueuedMessage } from './want-cancels.ts'

const log = logger('cairn:exchange:bitswap')

/** The largest block served or accepted over Bitswap (the spec's 2 MiB "MUST support"). */
export const MAX_BITSWAP_BLOCK_BYTES = 2 * 1024 * 1024
/** The largest Bitswap message sent or read (the spec's 4 MiB). */
export const MAX_BITSWAP_MESSAGE_BYTES = 4 * 1024 * 1024
/** Bytes per second served to one peer over a relayed connection, and the burst it may take at once. */
export const SERVE_BYTES_PER_SECOND = 16 * 1024 * 1024
/** The only Bitswap version `@helia/bitswap` speaks. */
export const BITSWAP_PROTOCOL = '/ipfs/bitswap/1.2.0'
/** How long one peer asked directly for a block has to answer before everyone is asked. */
export const ASK_PEER_MS = 5_000
/** Concurrent inbound / outbound Bitswap streams. */
export const MAX_INBOUND_STREAMS = 16
export const MAX_OUTBOUND_STREAMS = 64

/** Blocks and bytes exchanged with one peer over Bitswap. */
export interface BitswapPeerStats {
  blocksSent: number
  bytesSent: number
  blocksReceived: number
  bytesReceived: number
}

/** What the Bitswap side of a node needs. */
export interface BitswapInit {
  libp2p: Libp2p
  /** Where served blocks come from. */
  blockstore: ServingStoreInit['blockstore']
  /** Whether to serve stored blocks to peers now (the "share" setting); off answers DONT_HAVE. */
  sharing: () => boolean
}

// Internals of @helia/bitswap 4.0.19 this adapter relies on (the version is pinned exactly):
// the broker keeps its Bitswap as `bitswap`, whose `network` sends every message through
// `sendMessage(peer, message)` and emits `bitswap:message` for every message it reads.
type OutgoingMessage = QueuedMessage
interface IncomingMessage { blocks: Array<{ data?: Uint8Array }>, wantlist?: { entries: Array<{ cid: Uint8Array, cancel?: boolean }> } }
interface BitswapNetwork extends EventTarget {
  sendMessage(peer: PeerId, message: OutgoingMessage, options?: unknown): Promise<void>
}
// Its `wantList.wantSessionBlock(cid, peer)` sends one WANT-BLOCK (with send-dont-have) to one
// peer and resolves with that peer's answer: the block, or its absence. The want list emits
// `block` for every block that arrives, with its CID and sender.
interface Presence { has: boolean, block?: Uint8Array }
interface WantList extends EventTarget { wantSessionBlock(cid: CID, peer: PeerId, options: { signal: AbortSignal }): Promise<Presence> }
interface BrokerInternals { bitswap: { network: BitswapNetwork, wantList: WantList, getPeerWantlist(peer: PeerId): unknown[] | undefined } }
type Mixin = { start(host: unknown): Promise<void> }

/**
 * Bitswap 1.2 for a Cairn node, from `@helia/bitswap` 4.0.19 run without Helia: it gets the
 * small host object Helia would be (libp2p, a blockstore, a logger, a hasher lookup, no
 * routing — providers are looked up per user action by the exchange and dialled, and Bitswap
 * asks every connected peer). It serves stored blocks to peers that ask, unless sharing is off,
 * never over limited (relayed) connections, blocks ≤ 2 MiB, messages ≤ 4 MiB, paced to
 * `SERVE_BYTES_PER_SECOND` per peer; per-peer wantlists are capped at 1024 by the library.
 * It stores nothing: blocks it fetches go back to the exchange, which verifies and stores.
 */
export class BitswapService {
  private readonly init: BitswapInit
  private broker: HeliaBlockBroker | undefined
  private readonly perPeer = new Map<string, BitswapPeerStats>()
  private readonly pacing = new RateLimiter({ perSecond: SERVE_BYTES_PER_SECOND, burst: SERVE_BYTES_PER_SECOND })
  private readonly connected = new Set<string>()
  private readonly streams = new KeptStreams(BITSWAP_PROTOCOL)
  private readonly served: ServingStore
  private readonly cancels = new WantCancels(async (peer, message) => {
    await (this.broker as unknown as BrokerInternals | undefined)?.bitswap.network.sendMessage(peer, message)
  })
  private readonly identified = new Set<string>()
  private readonly onIdentify = (event: CustomEvent<{ peerId: PeerId }>): void => { this.identified.add(event.detail.peerId.toString()) }
  private topology: string | undefined

  /** Made before the node starts, so that every identify is seen. */
  constructor (init: BitswapInit) {
    this.init = init
    this.served = new ServingStore({ blockstore: init.blockstore, sharing: init.sharing, maxBlockBytes: MAX_BITSWAP_BLOCK_BYTES })
    init.libp2p.addEventListener('peer:identify', this.onIdentify)
  }

  async start (): Promise<void> {
    let mixin: Mixin | undefined
    const options: BitswapOptions = {
      maxInboundStreams: MAX_INBOUND_STREAMS,
      maxOutboundStreams: MAX_OUTBOUND_STREAMS,
      maxIncomingMessageSize: MAX_BITSWAP_MESSAGE_BYTES,
      maxOutgoingMessageSize: MAX_BITSWAP_MESSAGE_BYTES,
      runOnLimitedConnections: false,
      // Wants added in the same task still go out as one message; the library's 10 ms wait
      // was added to every round trip (twice to a missed file's first byte).
      sendWantlistDebounce: 0
    }
    const noRouting: Pick<Routing, 'findProviders'> = { async * findProviders () {} }
    const host = {
      status: 'starting',
      libp2p: this.streams.libp2pFor(this.init.libp2p),
      blockstore: this.served,
      logger: defaultLogger(),
      routing: noRouting,
      getHasher: async (code: number) => hasherFor(code),
      hasBlockBroker: () => this.broker !== undefined,
      addBlockBroker: (broker: HeliaBlockBroker) => { this.broker = broker },
      addMixin: (m: Mixin) => { mixin = m }
    }
    withBitswap(host as unknown as HeliaWithLibp2p, options)
    await mixin?.start(host)
    if (this.broker === undefined) throw new Error('@helia/bitswap did not start (its host contract changed?)')
    const internals = (this.broker as unknown as BrokerInternals).bitswap
    this.watch(internals.network)
    internals.wantList.addEventListener('block', event => {
      const { cid, sender } = (event as CustomEvent<{ cid: CID, sender: PeerId }>).detail
      this.cancels.received(cid, sender)
    })
    this.topology = await this.init.libp2p.register(BITSWAP_PROTOCOL, {
      onConnect: peer => { this.connected.add(peer.toString()) },
      onDisconnect: peer => {
        this.connected.delete(peer.toString())
        this.cancels.forget(peer)
      }
    })
  }

  /** Peers connected over connections that can carry Bitswap (not limited ones). */
  connectedPeers (): number {
    return this.connected.size
  }

  /**
   * True when no peer can be asked now and none may turn out to speak Bitswap: nobody is
   * connected with Bitswap, and every open unlimited connection's peer has been identified
   * (a peer dialled a moment ago is not known yet, so it counts as someone to wait for).
   */
  nobodyToAsk (): boolean {
    if (this.connected.size > 0) return false
    return this.init.libp2p.getConnections()
      .filter(c => c.status === 'open' && c.limits === undefined)
      .every(c => this.identified.has(c.remotePeer.toString()))
  }

  async stop (): Promise<void> {
    if (this.topology !== undefined) this.init.libp2p.unregister(this.topology)
    this.init.libp2p.removeEventListener('peer:identify', this.onIdentify)
    this.topology = undefined
    this.connected.clear()
    if (this.broker !== undefined) await stop(this.broker)
    await this.streams.closeAll()
    this.broker = undefined
  }

  /** The broker the exchange races: asks connected peers for a block. */
  readonly blockBroker: BlockBroker = {
    name: 'bitswap',
    kind: 'bitswap',
    retrieve: async (cid, { signal }) => {
      const broker = this.broker
      if (broker?.retrieve === undefined) throw new Error('Bitswap is not running')
      let from = 'a peer'
      try {
        const bytes = await broker.retrieve(cid, {
          signal,
          onProgress: (event: { type: string, detail: unknown }) => {
            if (event.type === 'bitswap:block') from = (event.detail as { sender: PeerId }).sender.toString()
          }
        })
        return { bytes, from }
      } catch (err) {
        this.cancels.gaveUp(cid)
        throw err
      }
    }
  }

  /**
   * A block from `peers` only — the ones known to have it (a pin's origins, the member who
   * announced a room's history): one WANT-BLOCK to each at once, the first block wins. Only
   * when none of them sends it within `ASK_PEER_MS` is every connected peer asked, as
   * `blockBroker` does for each block (which, with hundreds of peers connected, costs
   * hundreds of messages per block).
   */
  async retrieveFrom (cid: CID, peers: PeerId[], { signal }: { signal: AbortSignal }): Promise<RetrievedBlock> {
    const wantList = (this.broker as unknown as BrokerInternals | undefined)?.bitswap.wantList
    if (wantList !== undefined && peers.length > 0) {
      const asked = new AbortController()
      try {
        return await Promise.any(peers.map(async peer => {
          const presence = await wantList.wantSessionBlock(cid, peer, { signal: AbortSignal.any([signal, asked.signal, AbortSignal.timeout(ASK_PEER_MS)]) })
          if (!presence.has || presence.block === undefined) throw new Error(`${peer.toString()} does not have ${cid.toString()}`)
          return { bytes: presence.block, from: peer.toString() }
        }))
      } catch {
        signal.throwIfAborted()
        log('none of %d peers asked directly had %s; asking everyone', peers.length, cid)
      } finally {
        asked.abort()
        // Origins that answered DONT_HAVE, or not in time, would keep the want.
        this.cancels.gaveUp(cid)
      }
    }
    return this.blockBroker.retrieve(cid, { signal })
  }

  /** Tells peers that wanted `cid` that the node has it now. */
  announce (cid: CID): void {
    this.broker?.announce?.(cid).catch(err => { log('announce %s failed: %s', cid, (err as Error).message) })
  }

  /** How many of a peer's wants the node tracks now (the library caps it at 1024). */
  peerWants (peer: PeerId): number {
    if (this.broker === undefined) return 0
    return (this.broker as unknown as BrokerInternals).bitswap.getPeerWantlist(peer)?.length ?? 0
  }

  /** Blocks and bytes exchanged per peer (PeerId string) since the node started. */
  peerStats (): Record<string, BitswapPeerStats> {
    return Object.fromEntries([...this.perPeer].map(([peer, stats]) => [peer, { ...stats }]))
  }

  private statsFor (peer: PeerId): BitswapPeerStats {
    const key = peer.toString()
    let stats = this.perPeer.get(key)
    if (stats === undefined) {
      stats = { blocksSent: 0, bytesSent: 0, blocksReceived: 0, bytesReceived: 0 }
      this.perPeer.set(key, stats)
    }
    return stats
  }

  /**
   * Counts what each peer sends and receives, starts reading the blocks a peer wants as its
   * wants arrive, and paces what is sent through relays.
   */
  private watch (network: BitswapNetwork): void {
    network.addEventListener('bitswap:message', event => {
      const { peer, message } = (event as CustomEvent<{ peer: PeerId, message: IncomingMessage }>).detail
      const stats = this.statsFor(peer)
      for (const block of message.blocks) {
        stats.blocksReceived++
        stats.bytesReceived += block.data?.length ?? 0
      }
      const entries = message.wantlist?.entries ?? []
      if (entries.length === 0) return
      this.served.readAhead(cidsOf(entries.filter(e => e.cancel !== true)))
      this.served.forget(cidsOf(entries.filter(e => e.cancel === true)))
    })
    const send = network.sendMessage.bind(network)
    network.sendMessage = async (peer, message, options) => {
      this.cancels.noteSent(peer, message)
      let bytes = 0
      for (const block of message.blocks.values()) bytes += block.data.length
      if (bytes > 0 && this.onlyRelayed(peer)) {
        const wait = this.pacing.reserve(peer.toString(), bytes)
        if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait))
      }
      await send(peer, message, options)
      const stats = this.statsFor(peer)
      stats.blocksSent += message.blocks.size
      stats.bytesSent += bytes
    }
  }

  /** Whether every open connection to `peer` goes through a relay (a shared link worth pacing). */
  private onlyRelayed (peer: PeerId): boolean {
    return this.init.libp2p.getConnections(peer).every(c => connectionKind(c.remoteAddr.toString()) === 'relayed')
  }
}

/** The CIDs of wantlist entries; a malformed one is skipped (the library answers it). */
function cidsOf (entries: Array<{ cid: Uint8Array }>): CID[] {
  const cids: CID[] = []
  for (const entry of entries) {
    try {
      cids.push(CID.decode(entry.cid))
    } catch {
      log('skipping a wantlist entry that is not a CID')
    }
  }
  return cids
}
