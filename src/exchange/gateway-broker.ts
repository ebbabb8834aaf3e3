import { trustlessGatewayBlockBroker } from '@helia/trustless-gateway-client'
import { defaultLogger } from '@libp2p/logger'
import { uriToMultiaddr } from '@multiformats/uri-to-multiaddr'
import { CID } from 'multiformats/cid'
import { identity } from 'multiformats/hashes/identity'
import type { Provider, Routing } from '@helia/interface'
import type { BlockBroker } from './broker.ts'

/** The multicodec Helia uses to name an HTTP gateway as a provider (`transport-ipfs-gateway-http`). */
const GATEWAY_PROVIDER_CODEC = 0x0920

/** Blocks over HTTP larger than this are refused (the trustless gateway broker's own cap, the spec's block limit). */
export const MAX_GATEWAY_BLOCK_BYTES = 2 * 1024 * 1024

/**
 * One trustless gateway (`GET /ipfs/<cid>?format=raw`, `Accept: application/vnd.ipld.raw`) as a
 * block broker, through `@helia/trustless-gateway-client`: it builds the request, refuses
 * non-2xx answers and bodies over 2 MiB. It verifies nothing (the exchange does). Each
 * configured gateway is its own broker, so the exchange races them and counts each one.
 *
 * The broker finds gateways through a routing; here that routing names exactly this
 * gateway, the way Helia names gateways (a CID of the URL under codec 0x0920).
 */
export function gatewayBroker (url: string, options: { allowLocal: boolean }): BlockBroker {
  const origin = new URL(url).origin
  const provider: Provider = {
    id: CID.createV1(GATEWAY_PROVIDER_CODEC, identity.digest(new TextEncoder().encode(origin + '/'))),
    multiaddrs: [uriToMultiaddr(origin)],
    router: 'cairn-settings',
    fallback: false
  }
  // The broker only ever calls `findProviders` on its routing.
  const routing: Pick<Routing, 'findProviders'> = {
    async * findProviders () { yield provider }
  }
  const broker = trustlessGatewayBlockBroker({ allowInsecure: options.allowLocal, allowLocal: options.allowLocal })({
    routing: routing as Routing,
    logger: defaultLogger()
  })
  if (broker.retrieve === undefined) throw new Error('@helia/trustless-gateway-client gave a broker without retrieve')
  const retrieve = broker.retrieve.bind(broker)
  return {
    name: origin,
    kind: 'gateway',
    retrieve: async (cid, { signal }) => {
      try {
        return { bytes: await retrieve(cid, { signal }), from: origin }
      } catch (err) {
        throw new Error(gatewayFailure(err), { cause: err })
      }
    }
  }
}

/** The gateway's own words for a failure (the broker wraps them in an AggregateError). */
function gatewayFailure (err: unknown): string {
  const inner = err instanceof AggregateError && err.errors.length > 0 ? err.errors[0] as Error : err as Error
  const message = inner.message.replace(/^Unable to fetch raw block for CID \S+ - /, '')
  const status = /received (\d{3} [^,]*)$/.exec(message)
  if (status !== null) return `answered ${status[1].trim()}`
  if (/greater than the limit|over the limit|exceeded/i.test(message)) return 'sent a body over the 2 MiB block limit'
  return message
}
