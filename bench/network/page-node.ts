/**
 * The network benchmark's reference: the same libp2p node Cairn runs in its Service Worker
 * (`createCairnLibp2p`), hosted by the page itself with the browser's own RTCPeerConnection,
 * the way a library node in a tab runs. `scripts/bench-network.mjs` drives it.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { createCairnLibp2p } from '../../src/p2p/create-libp2p.ts'
import { measureThroughput, type ThroughputResult } from '../../src/p2p/throughput.ts'

const TOPIC = 'cairn-bench'

const node = await createCairnLibp2p({ privateKey: await generateKeyPair('Ed25519'), allowLocalAddresses: true, iceServers: [] })
await node.start()
node.services.pubsub.subscribe(TOPIC)

/** When each benchmark message arrived here, by its text (ms since the epoch). */
const arrivals = new Map<string, number>()
node.services.pubsub.addEventListener('message', event => {
  if (event.detail.topic === TOPIC) arrivals.set(new TextDecoder().decode(event.detail.data), performance.timeOrigin + performance.now())
})

/** What the benchmark driver calls through `page.evaluate`. */
const pageNode = {
  peerId: node.peerId.toString(),
  async dial (address: string): Promise<string> {
    const connection = await node.dial(multiaddr(address), { signal: AbortSignal.timeout(30_000) })
    return connection.remoteAddr.toString()
  },
  /** True once this node holds a reservation on the relay (it has a `/p2p-circuit` address). */
  reachable: (): boolean => node.getMultiaddrs().some(ma => ma.toString().includes('/p2p-circuit')),
  /** Closes the relayed connections to a peer that also has a direct one. */
  async keepOnlyDirect (peer: string): Promise<void> {
    const connections = node.getConnections(peerIdFromString(peer))
    if (!connections.some(c => c.remoteAddr.toString().includes('/webrtc'))) throw new Error('no direct WebRTC connection to keep')
    await Promise.all(connections.filter(c => !c.remoteAddr.toString().includes('/webrtc')).map(async c => c.close()))
  },
  subscribed: (peer: string): boolean => node.services.pubsub.getSubscribers(TOPIC).some(p => p.toString() === peer),
  throughput: async (peer: string, bytes: number): Promise<ThroughputResult> => measureThroughput(node, peerIdFromString(peer), bytes)
}

declare global {
  interface Window {
    pageNode?: typeof pageNode
    /** The chat the latency benchmark drives, as on the app's pages: raw gossipsub here. */
    benchChat?: { send: (text: string) => Promise<void>, arrivals: () => Record<string, number> }
  }
}
window.pageNode = pageNode
window.benchChat = {
  send: async text => { await node.services.pubsub.publish(TOPIC, new TextEncoder().encode(text)) },
  arrivals: () => Object.fromEntries(arrivals)
}
document.getElementById('out')!.textContent = `node ${pageNode.peerId} started`
