import { kadDHT, removePrivateAddressesMapper, removePublicAddressesMapper, type KadDHT, type SingleKadDHT } from '@libp2p/kad-dht'
import { multiaddr } from '@multiformats/multiaddr'
import type { Libp2p } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'
import { ipnsSelector } from 'ipns/selector'
import { ipnsValidator } from 'ipns/validator'

/** The relay's part in a Kademlia DHT. */
export interface DhtSettings {
  /** Peers of the DHT to join through (multiaddrs ending in `/p2p/<id>`). */
  bootstrap: string[]
  /** A DHT on a LAN (or loopback, in tests): keep private addresses, drop public ones. Else the reverse (the public Amino DHT). */
  lan: boolean
}

/** The IPFS DHT's protocol (Amino). */
export const DHT_PROTOCOL = '/ipfs/kad/1.0.0'

/**
 * The relay's DHT service: a server of `DHT_PROTOCOL`, addresses filtered for a LAN or the
 * public network, IPNS records checked and chosen with the `ipns` library (as Kubo does).
 */
export function dhtService (settings: DhtSettings): ReturnType<typeof kadDHT> {
  return kadDHT({
    protocol: DHT_PROTOCOL,
    clientMode: false,
    peerInfoMapper: settings.lan ? removePublicAddressesMapper : removePrivateAddressesMapper,
    validators: { ipns: ipnsValidator },
    selectors: { ipns: ipnsSelector }
  })
}

/** What the home node does with the DHT: announce and withdraw what it keeps, put records. */
export interface ProviderRouting {
  provide: (cid: CID) => Promise<void>
  withdraw: (cid: CID) => Promise<void>
  /** Stores a record (an IPNS record under its `/ipns/` routing key) with the peers closest to its key. */
  putRecord: (key: Uint8Array, value: Uint8Array) => Promise<void>
}

/**
 * Joins the DHT: serves it (a relay is always reachable), dials the bootstrap peers (again
 * every minute while it knows none), and returns how the home node announces provider
 * records — re-provided by the DHT before they expire (every 24 h).
 */
export async function joinDht (node: Libp2p<{ dht: KadDHT }>, settings: DhtSettings, log: (line: string) => void): Promise<{ routing: ProviderRouting, stop: () => void }> {
  await node.services.dht.setMode('server')
  const bootstrap = async (): Promise<void> => {
    if ((node.services.dht as SingleKadDHT).routingTable.size > 0) return
    for (const address of settings.bootstrap) {
      await node.dial(multiaddr(address), { signal: AbortSignal.timeout(10_000) }).catch((err: Error) => log(`dht: bootstrap peer ${address} not reached: ${err.message}`))
    }
  }
  await bootstrap()
  const timer = setInterval(() => { void bootstrap() }, 60_000)
  timer.unref?.()
  log(`dht: joined as a server through ${settings.bootstrap.length} bootstrap peers (${settings.lan ? 'LAN addresses' : 'public addresses'})`)
  return {
    routing: {
      provide: async cid => { await node.contentRouting.provide(cid) },
      withdraw: async cid => { await node.services.dht.cancelReprovide(cid) },
      putRecord: async (key, value) => { await node.contentRouting.put(key, value) }
    },
    stop: () => { clearInterval(timer) }
  }
}
