/**
 * The names benchmark's reference: `@helia/ipns` in a page, resolving names through a
 * Delegated Routing V1 endpoint with the official routing client, as a web app would. It gets
 * the parts of a Helia node it uses (a memory datastore, a logger) and no libp2p: a whole Helia
 * node in a page also dials the public bootstrap peers and routers, which is not what is
 * measured. `scripts/bench-names.mjs` drives it through `window.namesReference`.
 */
import { delegatedRoutingV1HttpApiClient } from '@helia/delegated-routing-v1-http-api-client'
import { ipns, type IPNS } from '@helia/ipns'
import { publicKeyFromProtobuf } from '@libp2p/crypto/keys'
import { defaultLogger } from '@libp2p/logger'
import { MemoryDatastore } from 'datastore-core'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'

let resolver: IPNS | undefined

const reference = {
  /** Starts Helia (no transports: names only) with the routing endpoint at `url`. */
  async start (url: string): Promise<void> {
    // Helia's own routing has nothing to offer here: every lookup goes to the endpoint.
    const nothing = async (): Promise<never> => { throw new Error('no routing') }
    // The validator reads public keys through the keychain, as a Helia node's does.
    const keychain = { loadPublicKeyFromProtobuf: async (bytes: Uint8Array) => publicKeyFromProtobuf(bytes) }
    const components = { datastore: new MemoryDatastore(), routing: { get: nothing, put: nothing }, logger: defaultLogger(), keychain, events: new EventTarget() }
    const client = delegatedRoutingV1HttpApiClient({ url, cacheTTL: 0 })({ logger: defaultLogger() })
    const cidOf = (routingKey: Uint8Array): CID => CID.createV1(0x72, Digest.decode(routingKey.subarray('/ipns/'.length)))
    resolver = ipns(components as unknown as Parameters<typeof ipns>[0], {
      routers: [{
        put: async (routingKey, record) => { await client.putIPNS(cidOf(routingKey), record) },
        get: async routingKey => client.getIPNS(cidOf(routingKey))
      }]
    })
  },
  /** Resolves `name` to its value; the time it took in ms. */
  async resolve (name: string): Promise<number> {
    if (resolver === undefined) throw new Error('not started')
    const started = performance.now()
    let value = ''
    for await (const result of resolver.resolve(name)) value = result.value
    if (value === '') throw new Error(`${name} did not resolve`)
    return performance.now() - started
  }
}

declare global {
  interface Window { namesReference?: typeof reference }
}
window.namesReference = reference
document.getElementById('out')!.textContent = 'reference ready'
