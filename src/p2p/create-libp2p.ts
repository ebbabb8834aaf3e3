import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { gossipsub, type GossipSub, type GossipsubOpts } from '@libp2p/gossipsub'
import { identify, identifyPush, type Identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { ping, type Ping } from '@libp2p/ping'
import { pubsubPeerDiscovery } from '@libp2p/pubsub-peer-discovery'
import { webRTC, webRTCDirect } from '@libp2p/webrtc'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { createLibp2p, type Libp2p } from 'libp2p'
import type { PrivateKey } from '@libp2p/interface'
import { MAX_MESSAGE_BYTES } from '../rooms/limits.ts'
import { throughput } from './throughput.ts'

/** The services every Cairn node runs. */
export type CairnServices = {
  pubsub: GossipSub
  ping: Ping
  identify: Identify
  identifyPush: unknown
  /** Answers throughput tests (`/cairn/throughput/1.0.0`). */
  throughput: unknown
}

/** A Cairn libp2p node. */
export type CairnLibp2p = Libp2p<CairnServices>

/** The pubsub topic on which Cairn nodes announce their addresses to each other. */
export const DISCOVERY_TOPIC = 'cairn._peer-discovery._p2p._pubsub'

/** How to build the node. */
export interface CairnLibp2pInit {
  privateKey: PrivateKey
  /** Dial loopback, private and insecure (`ws://`) addresses; browsers refuse them otherwise. */
  allowLocalAddresses: boolean
  /** ICE servers for WebRTC; none on loopback. */
  iceServers: RTCIceServer[]
  /** Announce our addresses on the discovery topic this often, in ms (default 10 s). */
  discoveryIntervalMs?: number
  /** Passed to gossipsub (tests use it to publish unsigned messages, for example). */
  gossipsub?: Partial<GossipsubOpts>
}

/**
 * A js-libp2p 3 node as Cairn runs it in the Service Worker (and in Node.js for tests):
 * WebSockets, circuit relay v2 (listening on `/p2p-circuit`), WebRTC (listening on
 * `/webrtc`), WebRTC-direct (dialing servers), noise, yamux, identify with push, ping, signed gossipsub, peer discovery
 * over pubsub so browsers in the same rooms can find each other's `/webrtc` addresses, and
 * the throughput test (`/cairn/throughput/1.0.0`).
 */
export async function createCairnLibp2p (init: CairnLibp2pInit): Promise<CairnLibp2p> {
  const node = await createLibp2p({
    privateKey: init.privateKey,
    start: false,
    addresses: { listen: ['/p2p-circuit', '/webrtc'] },
    transports: [
      webSockets(),
      circuitRelayTransport(),
      webRTC({ rtcConfiguration: { iceServers: init.iceServers } }),
      // Dialing only: servers that listen on `/webrtc-direct` (many public IPFS peers do).
      webRTCDirect({ rtcConfiguration: { iceServers: init.iceServers } })
    ],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: init.allowLocalAddresses ? { denyDialMultiaddr: async () => false } : {},
    peerDiscovery: [pubsubPeerDiscovery({ interval: init.discoveryIntervalMs ?? 10_000, topics: [DISCOVERY_TOPIC] })],
    services: {
      identify: identify(),
      identifyPush: identifyPush(),
      ping: ping(),
      throughput: throughput(),
      pubsub: gossipsub({
        globalSignaturePolicy: 'StrictSign',
        allowPublishToZeroTopicPeers: true,
        maxInboundDataLength: 4 * MAX_MESSAGE_BYTES,
        ...init.gossipsub
      })
    }
  })
  return node
}
