import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createDelegatedRoutingV1HttpApiServer } from '@helia/delegated-routing-v1-http-api-server'
import { unixfs, type UnixFS } from '@helia/unixfs'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { testDhtService } from './dht.ts'
import { webRTCDirect } from '@libp2p/webrtc'
import { noise } from '@libp2p/noise'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { createHelia, type Helia } from 'helia'
import type { PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** A Helia node (its own libp2p and Bitswap) listening on WebSockets on loopback. */
export interface TestHelia {
  helia: Helia & { libp2p: { peerId: PeerId, getMultiaddrs: () => Multiaddr[] } }
  fs: UnixFS
  multiaddrs: Multiaddr[]
  stop: () => Promise<void>
}

/**
 * Starts a Helia node with WebSockets on 127.0.0.1 (and WebRTC-direct on UDP with
 * `webrtcDirect`, a DHT client of the test DHT's protocol with `dht`), no routers and no
 * HTTP gateways.
 */
export async function startHelia (options: { webrtcDirect?: boolean, dht?: boolean } = {}): Promise<TestHelia> {
  const helia = await createHelia({
    libp2p: {
      config: 'replace',
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0/ws', ...(options.webrtcDirect === true ? ['/ip4/127.0.0.1/udp/0/webrtc-direct'] : [])] },
      transports: [webSockets(), ...(options.webrtcDirect === true ? [webRTCDirect()] : [])],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      connectionGater: { denyDialMultiaddr: async () => false },
      // The DHT needs ping; the cast is for the optional pair.
      services: { identify: identify(), ...(options.dht === true ? { ping: ping(), dht: testDhtService(true) } : {}) } as unknown as { identify: ReturnType<typeof identify> }
    },
    http: { delegatedRouters: [], recursiveGateways: [] },
    routers: []
  })
  await helia.start()
  return { helia, fs: unixfs(helia), multiaddrs: helia.libp2p.getMultiaddrs(), stop: async () => { await helia.stop() } }
}

/** A provider record the routing server hands out. */
export interface TestProvider {
  id: PeerId
  multiaddrs: Multiaddr[]
}

/**
 * A Delegated Routing V1 HTTP server (`@helia/delegated-routing-v1-http-api-server`) on a free
 * loopback port, answering provider lookups from `providers`.
 */
export async function startRoutingServer (providers: () => TestProvider[]): Promise<{ url: string, lookups: string[], stop: () => Promise<void> }> {
  const lookups: string[] = []
  const routing = {
    async * findProviders (cid: { toString: () => string }) {
      lookups.push(cid.toString())
      yield * providers()
    },
    async findPeer () { throw new Error('not known') },
    async * getClosestPeers () {}
  }
  const server = await createDelegatedRoutingV1HttpApiServer({ routing } as unknown as Parameters<typeof createDelegatedRoutingV1HttpApiServer>[0], { listen: { host: '127.0.0.1', port: 0 } })
  const address = server.server.address() as AddressInfo
  return { url: `http://127.0.0.1:${address.port}`, lookups, stop: async () => { await server.close() } }
}

/** An HTTP server on a free loopback port with a plain Node.js handler. */
export async function startHttpServer (handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>): Promise<{ url: string, requests: string[], stop: () => Promise<void> }> {
  const requests: string[] = []
  const server = createServer((req, res) => {
    requests.push(req.url ?? '')
    Promise.resolve(handler(req, res)).catch(err => { res.statusCode = 500; res.end(String(err)) })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: async () => {
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => { resolve() }))
    }
  }
}

