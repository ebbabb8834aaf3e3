import { delegatedRoutingV1HttpApiClient, type DelegatedRoutingV1HttpApiClient } from '@helia/delegated-routing-v1-http-api-client'
import { defaultLogger, logger } from '@libp2p/logger'
import { peerIdFromCID } from '@libp2p/peer-id'
import type { Libp2p, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { CID } from 'multiformats/cid'

const log = logger('cairn:exchange:routing')

/** Providers dialled per lookup at most; Bitswap then asks every connected peer. */
export const MAX_PROVIDERS_DIALLED = 5

/** A provider a router named. */
export interface FoundProvider {
  id: PeerId
  multiaddrs: Multiaddr[]
}

/**
 * Finds providers through Delegated Routing V1 HTTP endpoints (`/routing/v1/providers/{cid}`)
 * with `@helia/delegated-routing-v1-http-api-client` (one client per endpoint, asked at the
 * same time), keeps only Bitswap providers with addresses this node can dial, puts their
 * addresses in the peer store (the client does not) and dials up to `MAX_PROVIDERS_DIALLED`
 * of them. Bitswap sends its wants to every connected peer, so a dialled provider is asked.
 */
export class DelegatedRouting {
  private readonly clients: Array<{ url: string, client: DelegatedRoutingV1HttpApiClient }>
  private readonly node: () => Promise<Libp2p>

  constructor (endpoints: string[], node: () => Promise<Libp2p>) {
    this.node = node
    this.clients = endpoints.map(url => ({
      url,
      client: delegatedRoutingV1HttpApiClient({ url, timeout: 10_000, filterProtocols: ['transport-bitswap', 'unknown'] })({ logger: defaultLogger() })
    }))
  }

  /** Looks up providers of `cid` and connects to some. Throws when every endpoint failed. */
  async findAndConnect (cid: CID, signal: AbortSignal): Promise<void> {
    if (this.clients.length === 0) return
    const libp2p = await this.node()
    const failures: string[] = []
    const found = new Map<string, FoundProvider>()
    await Promise.all(this.clients.map(async ({ url, client }) => {
      try {
        for await (const record of client.getProviders(cid, { signal })) {
          const id = peerIdOf(record.ID)
          if (id === undefined || libp2p.peerId.equals(id)) continue
          const dialable = await libp2p.isDialable(record.Addrs).catch(() => false)
          if (dialable) found.set(id.toString(), { id, multiaddrs: record.Addrs })
          if (found.size >= MAX_PROVIDERS_DIALLED) break
        }
      } catch (err) {
        if (!signal.aborted) failures.push(`${new URL(url).origin}: ${(err as Error).message}`)
      }
    }))
    if (found.size === 0 && failures.length === this.clients.length) throw new Error(`provider lookup failed (${failures.join('; ')})`)
    log('%d providers of %s', found.size, cid)
    await Promise.all([...found.values()].slice(0, MAX_PROVIDERS_DIALLED).map(async provider => {
      try {
        await libp2p.peerStore.merge(provider.id, { multiaddrs: provider.multiaddrs })
        if (libp2p.getConnections(provider.id).length > 0) return
        const identified = identifiedOnce(libp2p, provider.id, signal)
        await libp2p.dial(provider.id, { signal })
        // Bitswap asks a peer once identify has told which protocols it speaks.
        await identified
      } catch (err) {
        log('could not dial provider %p: %s', provider.id, (err as Error).message)
      }
    }))
  }
}

/** The PeerId a router named, or undefined for an ID that is not one. */
function peerIdOf (id: CID): PeerId | undefined {
  try {
    return peerIdFromCID(id)
  } catch {
    return undefined
  }
}

/** Resolves when identify has run with `peer` (or after 5 s, or on abort). */
async function identifiedOnce (libp2p: Libp2p, peer: PeerId, signal: AbortSignal): Promise<void> {
  await new Promise<void>(resolve => {
    const done = (): void => {
      clearTimeout(timer)
      libp2p.removeEventListener('peer:identify', onIdentify)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const onIdentify = (event: CustomEvent<{ peerId: PeerId }>): void => { if (event.detail.peerId.equals(peer)) done() }
    const timer = setTimeout(done, 5_000)
    libp2p.addEventListener('peer:identify', onIdentify)
    signal.addEventListener('abort', done, { once: true })
  })
}
