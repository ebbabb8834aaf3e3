import { join } from 'node:path'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { Libp2p } from '@libp2p/interface'
import type { BitswapService } from '../../exchange/bitswap.ts'
import { parseName, type IpnsKeyName } from '../../names/name.ts'
import { startHttpPort, type HttpPort } from './http-server.ts'
import { KeptBlocks } from './kept-blocks.ts'
import { NameRecords } from './name-records.ts'
import { PinRecords } from './pin-records.ts'
import { PinService } from './pin-service.ts'
import { handlePinningRequest } from './pinning-api.ts'
import { handleRoutingRequest } from './routing-api.ts'
import { TokenStore } from './tokens.ts'
import { ProviderAnnouncer } from './provider-announcer.ts'
import { NameRepublisher } from './name-republisher.ts'
import type { ProviderRouting } from '../dht.ts'
import { CID } from 'multiformats/cid'
import { handleTrustlessRequest } from './trustless-gateway.ts'

/** How the home node runs (`npm run relay -- --home … --http-port …`). */
export interface HomeOptions {
  /** Its folder: tokens, pins, kept blocks and names, all surviving restarts. */
  dir: string
  httpHost: string
  /** 0 picks a free port. */
  httpPort: number
  /** A pin fails when no block arrives for this long (ms). */
  stallMs: number
  /** Pages of these origins may call the Pinning Service API (the app's). */
  corsOrigins: () => string[]
  /** Addresses of the HTTP port to tell others (e.g. behind TLS); default: the one it listens on. */
  httpAnnounce: string[]
}

/** A started home node. */
export interface HomeNode {
  http: HttpPort
  tokens: TokenStore
  pins: PinService
  kept: KeptBlocks
  names: NameRecords
  /** Announcing kept roots to the DHT (with `--dht`). */
  announcer?: ProviderAnnouncer
  /** Putting kept IPNS records into the DHT (with `--dht`). */
  republisher?: NameRepublisher
  stop: () => Promise<void>
}

/** Where the token command and the node find a home folder's tokens. */
export function tokenFile (dir: string): string {
  return join(dir, 'tokens.json')
}

function httpMultiaddr (host: string, port: number): string {
  return `${host.includes(':') ? '/ip6' : '/ip4'}/${host}/tcp/${port}/http`
}

/**
 * The relay as its users' home node: it keeps what they pin (the Pinning Service API, over
 * Bitswap from their browsers and anyone it reaches), serves what it keeps over the relay's
 * Bitswap and a trustless gateway, and answers delegated routing for it — all on one HTTP
 * port next to the relay's libp2p one.
 */
export async function startHome (node: Libp2p, bitswap: BitswapService, serve: (kept: KeptBlocks) => void, options: HomeOptions, log: (line: string) => void, routing?: ProviderRouting): Promise<HomeNode> {
  const tokens = new TokenStore(tokenFile(options.dir))
  await tokens.load()
  const kept = new KeptBlocks(join(options.dir, 'blocks'))
  await kept.open()
  serve(kept)
  const records = new PinRecords(join(options.dir, 'pins'))
  await records.load((file, reason) => log(`home: skipping pins/${file}: ${reason}`))
  const names = new NameRecords(join(options.dir, 'names'))
  await names.load(name => parseName(name) as IpnsKeyName, (file, reason) => log(`home: skipping names/${file}: ${reason}`))
  const delegates = (): string[] => node.getMultiaddrs().map(String)
  const announcer = routing === undefined ? undefined : new ProviderAnnouncer(routing, log)
  const republisher = routing === undefined ? undefined : new NameRepublisher(routing, log)
  if (republisher !== undefined) {
    names.onKept = (name, record) => { republisher.republish(name, record) }
    republisher.start(() => names.all())
  }
  const pins = new PinService({
    records,
    kept,
    retrieve: async (cid, signal, origins) => (await bitswap.retrieveFrom(cid, origins.map(peer => peerIdFromString(peer)), { signal })).bytes,
    dial: async (address, signal) => {
      const target = multiaddr(address)
      const peer = target.getComponents().at(-1)?.value
      if (peer !== undefined && node.getConnections().some(c => c.remotePeer.toString() === peer && c.limits === undefined)) return
      await node.dial(target, { signal })
    },
    delegates,
    quotaOf: owner => tokens.list().find(t => t.id === owner)?.quota,
    ...(announcer === undefined ? {} : { onPinned: cid => { announcer.announce(cid) }, onRemoved: cid => { announcer.withdraw(cid) } }),
    stallMs: options.stallMs,
    log
  })
  // A revoked token's pins go (checked now and whenever the token file changes).
  const sweepRevoked = async (): Promise<void> => {
    await tokens.refresh()
    const removed = await pins.removeOrphans(new Set(tokens.list().map(t => t.id)))
    if (removed > 0) log(`home: unpinned ${removed} pins of revoked tokens`)
  }
  await sweepRevoked()
  pins.start()
  // Provider records live in memory: announce every kept root again at each start.
  if (announcer !== undefined) for (const record of records.all().filter(r => r.status === 'pinned')) announcer.announce(CID.parse(record.pin.cid))
  const sweeper = setInterval(() => { sweepRevoked().catch((err: Error) => log(`home: token check failed: ${err.message}`)) }, 10_000)
  sweeper.unref?.()

  let httpAddrs: string[] = []
  const http = await startHttpPort(options.httpHost, options.httpPort, [
    { matches: p => p === '/pins' || p.startsWith('/pins/'), cors: options.corsOrigins, allowHeaders: 'authorization, content-type', methods: 'GET, POST, DELETE', handle: async request => handlePinningRequest(request, pins, tokens) },
    { matches: p => p.startsWith('/ipfs/'), cors: '*', allowHeaders: 'accept, range, if-none-match', methods: 'GET, HEAD', handle: async request => handleTrustlessRequest(request, kept) },
    {
      matches: p => p.startsWith('/routing/v1/'),
      cors: '*',
      allowHeaders: 'accept, content-type',
      methods: 'GET, HEAD, PUT',
      handle: async request => handleRoutingRequest(request, {
        kept,
        names,
        peerId: node.peerId.toString(),
        addrs: () => [...node.getMultiaddrs().map(a => a.decapsulateCode(421).toString()), ...httpAddrs]
      })
    }
  ], log)
  httpAddrs = options.httpAnnounce.length > 0 ? options.httpAnnounce : [httpMultiaddr(options.httpHost, http.port)]
  const { blocks, bytes } = kept.stat()
  log(`home: ${records.all().length} pins, ${blocks} blocks (${bytes} bytes), ${names.size} names kept in ${options.dir}; pinning service, trustless gateway and routing at ${http.url}`)
  return {
    http,
    tokens,
    pins,
    kept,
    names,
    ...(announcer === undefined ? {} : { announcer }),
    ...(republisher === undefined ? {} : { republisher }),
    stop: async () => {
      republisher?.stop()
      clearInterval(sweeper)
      await http.close()
      await pins.stop()
      await kept.close()
    }
  }
}
