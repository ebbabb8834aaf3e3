import { identify } from '@libp2p/identify'
import { kadDHT, removePublicAddressesMapper, type KadDHT } from '@libp2p/kad-dht'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { createLibp2p } from 'libp2p'
import type { Libp2p } from '@libp2p/interface'
import { ipnsSelector } from 'ipns/selector'
import { ipnsValidator } from 'ipns/validator'
import { DHT_PROTOCOL } from '../../src/relay/dht.ts'

/** A small Kademlia DHT of Node.js libp2p peers on loopback, all servers, each joined through the first. */
export interface TestDht {
  peers: Array<Libp2p<{ dht: KadDHT }>>
  /** The first peer's address: what others bootstrap from. */
  bootstrap: string
  stop: () => Promise<void>
}

/** The DHT service as a test peer runs it: the relay's protocol and IPNS rules, loopback addresses kept. */
export function testDhtService (clientMode: boolean): ReturnType<typeof kadDHT> {
  return kadDHT({ protocol: DHT_PROTOCOL, clientMode, peerInfoMapper: removePublicAddressesMapper, kBucketSize: 4, validators: { ipns: ipnsValidator }, selectors: { ipns: ipnsSelector } })
}

/** Starts `size` DHT server peers on loopback WebSockets. */
export async function startTestDht (size: number): Promise<TestDht> {
  const peers: Array<Libp2p<{ dht: KadDHT }>> = []
  for (let i = 0; i < size; i++) {
    const peer = await createLibp2p({
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0/ws'] },
      transports: [webSockets()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      connectionGater: { denyDialMultiaddr: async () => false },
      // Every peer is on 127.0.0.1: lift libp2p's five inbound connections a second per address.
      connectionManager: { inboundConnectionThreshold: 1000 },
      services: { identify: identify(), ping: ping(), dht: testDhtService(false) }
    })
    await peer.services.dht.setMode('server')
    if (peers.length > 0) await peer.dial(peers[0].getMultiaddrs()[0])
    peers.push(peer)
  }
  return { peers, bootstrap: peers[0].getMultiaddrs()[0].toString(), stop: async () => { await Promise.all(peers.map(async p => p.stop())) } }
}
