import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { base36 } from 'multiformats/bases/base36'
import { afterEach, describe, expect, it } from 'vitest'
import { readIpnsRecord } from '../../../src/names/ipns-record.ts'
import { parseName, type IpnsKeyName } from '../../../src/names/name.ts'
import { MemoryNameKeyStore } from '../../../src/names/name-keys.ts'
import { NamePublisher } from '../../../src/names/name-publisher.ts'
import { NameResolver } from '../../../src/names/name-resolver.ts'
import { MemoryNameStore } from '../../../src/names/name-store.ts'
import { startRoutingServer, type RoutingServer } from '../../support/name-servers.ts'

const FILE = 'bafkqaddwgevxmmraojswg33smq'
const OTHER = 'bafkqadtwgiww63tmpeqhezldn5zgi'

const running: RoutingServer[] = []
afterEach(async () => { await Promise.all(running.splice(0).map(async s => s.stop())) })

async function setup (endpoints: string[] = []): Promise<{ publisher: NamePublisher, names: MemoryNameStore, clock: { now: number } }> {
  const clock = { now: Date.now() }
  const names = new MemoryNameStore()
  return { publisher: new NamePublisher({ keys: new MemoryNameKeyStore(), names, endpoints: async () => endpoints, now: () => clock.now }), names, clock }
}

describe('publishing names', () => {
  it('creates a name, publishes a CID under it to every endpoint (sequence 0, 48 h, TTL 5 min), and another node resolves it', async () => {
    const routing = await startRoutingServer()
    const down = await startRoutingServer()
    down.failWith = 500
    running.push(routing, down)
    const { publisher } = await setup([routing.url, down.url])
    const created = await publisher.create('my site')
    expect(created).toMatchObject({ label: 'my site' })
    expect(created.id).toMatch(/^k51/)
    const published = (await publisher.publish(created.id, FILE)).published
    expect(published).toMatchObject({ value: `/ipfs/${FILE}`, sequence: '0', ttlMs: 300_000, lifetimeMs: 172_800_000 })
    expect(published?.accepted.map(a => a.url)).toEqual([routing.url])
    expect(published?.failed).toEqual([{ url: down.url, reason: expect.stringContaining('500') }])
    const record = await readIpnsRecord(parseName(created.id) as IpnsKeyName, routing.records.get(created.id) as Uint8Array)
    expect(record).toMatchObject({ value: `/ipfs/${FILE}`, sequence: 0n, ttlMs: 300_000 })

    const elsewhere = new NameResolver({ store: new MemoryNameStore(), sources: async () => ({ routers: [routing.url], resolvers: [] }) })
    expect((await elsewhere.resolve(created.id)).cid.toString()).toBe(FILE)
    // The next publication has the next sequence; paths and names are values too.
    expect((await publisher.publish(created.id, `/ipfs/${OTHER}/a`)).published?.sequence).toBe('1')
    expect((await elsewhere.resolve(created.id, [], {})).steps[0].sequence).toBe('0')
  })

  it('resolves its own name offline at once, and republishes past half the validity with the next sequence', async () => {
    const routing = await startRoutingServer()
    running.push(routing)
    const { publisher, names, clock } = await setup([routing.url])
    const { id } = await publisher.create('blog')
    await publisher.publish(id, FILE, { lifetimeMs: 10 * 60_000 })
    const resolver = new NameResolver({ store: names, sources: async () => ({ routers: [], resolvers: [] }) })
    expect((await resolver.resolve(id, [], { offline: true })).cid.toString()).toBe(FILE)
    clock.now += 4 * 60_000
    expect(await publisher.republishDue()).toBe(0)
    clock.now += 2 * 60_000
    expect(await publisher.republishDue()).toBe(1)
    const [again] = await publisher.list()
    expect(again.published).toMatchObject({ value: `/ipfs/${FILE}`, sequence: '1' })
  })

  it('imports and exports keys in the libp2p protobuf form of ipfs key import/export; renames, deletes; refuses bad input by name', async () => {
    const { publisher } = await setup()
    const key = await generateKeyPair('Ed25519')
    const imported = await publisher.import('from kubo', privateKeyToProtobuf(key))
    expect(imported.id).toBe(key.publicKey.toCID().toString(base36))
    expect(privateKeyFromProtobuf(await publisher.export(imported.id)).equals(key)).toBe(true)
    await expect(publisher.import('again', privateKeyToProtobuf(key))).rejects.toMatchObject({ name: 'InvalidNameKeyError' })
    await expect(publisher.import('junk', new Uint8Array([1, 2, 3]))).rejects.toMatchObject({ name: 'InvalidNameKeyError' })
    await expect(publisher.create('   ')).rejects.toMatchObject({ name: 'InvalidNameKeyError' })
    expect((await publisher.rename(imported.id, 'renamed')).label).toBe('renamed')
    await expect(publisher.publish(imported.id, 'not a cid')).rejects.toMatchObject({ name: 'InvalidNameValueError' })
    await publisher.delete(imported.id)
    expect(await publisher.list()).toEqual([])
    await expect(publisher.export(imported.id)).rejects.toMatchObject({ name: 'NameKeyNotFoundError' })
  })
})
