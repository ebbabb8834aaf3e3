import { delegatedRoutingV1HttpApiClient } from '@helia/delegated-routing-v1-http-api-client'
import { ipns, type IPNSRouting } from '@helia/ipns'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { defaultLogger } from '@libp2p/logger'
import { base36 } from 'multiformats/bases/base36'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { afterEach, describe, expect, it } from 'vitest'
import { LIBP2P_KEY_CODEC } from '../../../src/names/name.ts'
import { MemoryNameKeyStore } from '../../../src/names/name-keys.ts'
import { NamePublisher } from '../../../src/names/name-publisher.ts'
import { NameResolver } from '../../../src/names/name-resolver.ts'
import { MemoryNameStore } from '../../../src/names/name-store.ts'
import { startHelia, type TestHelia } from '../../support/exchange-peers.ts'
import { startRoutingServer, type RoutingServer } from '../../support/name-servers.ts'

// Names between Cairn and Helia (`@helia/ipns`, Node.js), through one local routing endpoint
// that both reach with their own HTTP clients: Helia's is the official routing client.
const FILE = CID.parse('bafkqaddwgevxmmraojswg33smq')

const running: Array<{ stop: () => Promise<void> }> = []
afterEach(async () => { await Promise.all(running.splice(0).map(async r => r.stop())) })

/** `@helia/ipns` publishing to and resolving from a Delegated Routing V1 endpoint. */
function heliaRouting (url: string): IPNSRouting {
  const client = delegatedRoutingV1HttpApiClient({ url, cacheTTL: 0 })({ logger: defaultLogger() })
  // The routing key is "/ipns/" and the name's multihash.
  const cidOf = (routingKey: Uint8Array): CID => CID.createV1(LIBP2P_KEY_CODEC, Digest.decode(routingKey.subarray('/ipns/'.length)))
  return {
    put: async (routingKey, record) => { await client.putIPNS(cidOf(routingKey), record) },
    get: async routingKey => client.getIPNS(cidOf(routingKey))
  }
}

async function setup (): Promise<{ helia: TestHelia, routing: RoutingServer }> {
  const helia = await startHelia()
  const routing = await startRoutingServer()
  running.push(helia, routing)
  return { helia, routing }
}

describe('names between Cairn and Helia', () => {
  it('a name Helia publishes resolves in Cairn', async () => {
    const { helia, routing } = await setup()
    const name = ipns(helia.helia, { routers: [heliaRouting(routing.url)] })
    const { publicKey } = await name.publish('helia-key', FILE.toString())
    const resolver = new NameResolver({ store: new MemoryNameStore(), sources: async () => ({ routers: [routing.url], resolvers: [] }) })
    const resolved = await resolver.resolve(publicKey.toCID().toString(base36))
    expect(resolved.cid.equals(FILE)).toBe(true)
    expect(resolved.steps[0]).toMatchObject({ kind: 'ipns', state: 'fresh' })
  }, 30_000)

  it('a name Cairn publishes (its key imported in the libp2p protobuf form) resolves in Helia', async () => {
    const { helia, routing } = await setup()
    const publisher = new NamePublisher({ keys: new MemoryNameKeyStore(), names: new MemoryNameStore(), endpoints: async () => [routing.url] })
    const key = await generateKeyPair('Ed25519')
    const { id } = await publisher.import('shared', privateKeyToProtobuf(key))
    await publisher.publish(id, `/ipfs/${FILE}`)
    const name = ipns(helia.helia, { routers: [heliaRouting(routing.url)] })
    const results = []
    for await (const result of name.resolve(id, { nocache: true })) results.push(result)
    expect(results.at(-1)?.value).toBe(`/ipfs/${FILE}`)
    expect(results.at(-1)?.record.sequence).toBe(0n)
  }, 30_000)
})
