import { circuitRelayServer } from '@libp2p/circuit-relay-v2'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { gossipsub, type GossipSub } from '@libp2p/gossipsub'
import { identify, identifyPush } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { createLibp2p, type Libp2p } from 'libp2p'
import type { PrivateKey } from '@libp2p/interface'
import { loadOrCreateKey } from './key-file.ts'
import { MAX_MESSAGE_BYTES } from '../rooms/limits.ts'
import type { RelayLimits } from './limits.ts'
import type { RelayOptions } from './options.ts'
import { TopicMirror } from './topic-mirror.ts'
import { RoomArchive } from './room-archive.ts'
import { ready } from '../hotpath/index.ts'
import { BitswapService } from '../exchange/bitswap.ts'
import { ServedBlocks } from './served-blocks.ts'
import { startHome, type HomeNode, type HomeOptions } from './home/home-node.ts'
import { dhtService, joinDht } from './dht.ts'
import type { KadDHT } from '@libp2p/kad-dht'

/** A started relay. */
export interface Relay {
  node: Libp2p<{ pubsub: GossipSub }>
  peerId: string
  /** Its dialable addresses, each ending in `/p2p/<peerId>`. */
  multiaddrs: string[]
  /** Messages it refused to forward, by reason. */
  dropped: TopicMirror['dropped']
  /** The rooms' history it keeps, when started with an archive. */
  archive?: RoomArchive
  /** The home node (pins, trustless gateway, routing), when started with one. */
  home?: HomeNode
  /** Closes every connection and stops listening. */
  stop: () => Promise<void>
}

/** Options for `startRelay`; `log` receives one line per thing the relay does. */
export type StartRelayOptions = Omit<RelayOptions, 'keyFile' | 'quiet' | 'home'> & {
  home?: HomeOptions
  privateKey?: PrivateKey
  keyFile?: string
  log?: (line: string) => void
  /** How often a changed status line is logged, in ms (default 10 s). */
  statusIntervalMs?: number
}

/** The relay's refusals for its status line: "2 spoofed, 1 oversized", or "nothing". */
function describeDrops (dropped: Relay['dropped']): string {
  const counted = Object.entries(dropped).filter(([, n]) => n > 0).map(([reason, n]) => `${n} ${reason}`)
  return counted.length === 0 ? 'nothing' : counted.join(', ')
}

function listenAddress (host: string, port: number): string {
  return host.includes(':') ? `/ip6/${host}/tcp/${port}/ws` : `/ip4/${host}/tcp/${port}/ws`
}

function reservationLimits (limits: RelayLimits): { applyDefaultLimit: boolean, defaultDurationLimit?: number, defaultDataLimit?: bigint } {
  // A limit of 0 lifts it; libp2p applies a limit only when both are set, so lift both or neither.
  if (limits.relayedDurationMs === 0 && limits.relayedDataBytes === 0) return { applyDefaultLimit: false }
  return {
    applyDefaultLimit: true,
    defaultDurationLimit: limits.relayedDurationMs === 0 ? 24 * 3600_000 : limits.relayedDurationMs,
    defaultDataLimit: BigInt(limits.relayedDataBytes === 0 ? Number.MAX_SAFE_INTEGER : limits.relayedDataBytes)
  }
}

/**
 * Starts the bundled relay: a libp2p node on WebSockets with noise, yamux, identify, ping,
 * a circuit-relay-v2 server and gossipsub that forwards the rooms its clients join; with
 * `archive`, it keeps and serves the rooms' history too (see `room-archive.ts`).
 */
export async function startRelay (options: StartRelayOptions): Promise<Relay> {
  const log = options.log ?? (() => {})
  const privateKey = options.privateKey ?? (options.keyFile !== undefined ? await loadOrCreateKey(options.keyFile) : await generateKeyPair('Ed25519'))
  const { limits } = options
  const node: Libp2p<{ pubsub: GossipSub }> = await createLibp2p({
    privateKey,
    addresses: { listen: [listenAddress(options.host, options.port)], announce: options.announce },
    transports: [webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: { maxConnections: limits.maxConnections, inboundConnectionThreshold: limits.connectionsPerSecondPerAddress },
    connectionGater: {
      // Counted before the new connection is added, so "at the limit" refuses it.
      denyInboundUpgradedConnection: async peer => node.getConnections(peer).length >= limits.maxConnectionsPerPeer
    },
    services: {
      identify: identify(),
      identifyPush: identifyPush(),
      ping: ping(),
      relay: circuitRelayServer({ reservations: { maxReservations: limits.maxReservations, ...reservationLimits(limits) } }),
      pubsub: gossipsub({
        globalSignaturePolicy: 'StrictSign',
        maxInboundDataLength: 4 * MAX_MESSAGE_BYTES,
        allowPublishToZeroTopicPeers: true,
        // No penalty for many peers on one IP address: behind a TLS proxy every browser arrives
        // from the proxy's, and gossipsub would graylist them all past the tenth.
        scoreParams: { IPColocationFactorWeight: 0 },
        // The relay is the hub members may only reach through: keep up to 64 of a room's members
        // in its mesh (gossipsub's usual 12 would leave the rest to hear messages a heartbeat late).
        D: 32,
        Dlo: 8,
        Dhi: 64
      }),
      ...(options.dht === undefined ? {} : { dht: dhtService(options.dht) })
    }
  }) as Libp2p<{ pubsub: GossipSub }>
  let dht: Awaited<ReturnType<typeof joinDht>> | undefined
  if (options.dht !== undefined) dht = await joinDht(node as unknown as Libp2p<{ dht: KadDHT }>, options.dht, log)
  const mirror = new TopicMirror(node.services.pubsub, { maxTopics: limits.maxTopics, messagesPerSecond: limits.messagesPerSecond, log })
  node.addEventListener('peer:connect', event => log(`peer connected: ${event.detail.toString()}`))
  node.addEventListener('peer:disconnect', event => {
    log(`peer disconnected: ${event.detail.toString()}`)
    mirror.sweep()
  })
  let archive: RoomArchive | undefined
  let home: HomeNode | undefined
  let bitswap: BitswapService | undefined
  if (options.archive !== undefined || options.home !== undefined) {
    await ready()
    // One Bitswap for the relay, serving the archive's blocks and the pinned ones.
    const served = new ServedBlocks()
    bitswap = new BitswapService({ libp2p: node, blockstore: served, sharing: () => true })
    await bitswap.start()
    if (options.archive !== undefined) {
      archive = new RoomArchive(node, options.archive, log, bitswap, message => mirror.verdictOf(message))
      served.add(archive.blockstore)
      await archive.start()
      log(`archiving rooms: up to ${options.archive.roomBytes} bytes per room, ${options.archive.totalBytes} in all`)
    }
    if (options.home !== undefined) {
      home = await startHome(node, bitswap, kept => { served.add(kept) }, options.home, log, dht?.routing)
    }
  }
  const relayService = (node.services as unknown as { relay: { reservations: { size: number } } }).relay
  // The relay server emits nothing per reservation, so a status line reports changes.
  let lastStatus = ''
  const status = setInterval(() => {
    const line = `status: ${node.getPeers().length} peers, ${relayService.reservations.size} reservations, ${node.services.pubsub.getTopics().length} topics, refused ${describeDrops(mirror.dropped)}`
    if (line !== lastStatus) log(line)
    lastStatus = line
  }, options.statusIntervalMs ?? 10_000)
  status.unref?.()
  const multiaddrs = node.getMultiaddrs().map(ma => ma.toString())
  return {
    node,
    peerId: node.peerId.toString(),
    multiaddrs,
    dropped: mirror.dropped,
    ...(archive === undefined ? {} : { archive }),
    ...(home === undefined ? {} : { home }),
    stop: async () => {
      log('stopping')
      clearInterval(status)
      dht?.stop()
      await home?.stop()
      await archive?.stop()
      await bitswap?.stop()
      await node.stop()
    }
  }
}
