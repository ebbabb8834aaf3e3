import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { createIPNSRecord, marshalIPNSRecord } from 'ipns'
import { afterEach, describe, expect, it } from 'vitest'
import { parseName } from '../../../src/names/name.ts'
import { NameResolver, type NameSources } from '../../../src/names/name-resolver.ts'
import { MemoryNameStore } from '../../../src/names/name-store.ts'
import { startDohServer, startRoutingServer, type LocalServer } from '../../support/name-servers.ts'

const FILE = 'bafkqaddwgevxmmraojswg33smq'
const OTHER = 'bafkqadtwgiww63tmpeqhezldn5zgi'

const running: LocalServer[] = []
afterEach(async () => { await Promise.all(running.splice(0).map(async s => s.stop())) })

/** A key and its name (`k51…`). */
async function key (): Promise<{ key: PrivateKey, name: string }> {
  const k = await generateKeyPair('Ed25519')
  return { key: k, name: parseName(k.publicKey.toCID().toString()).name }
}

/** A signed record, marshalled: `ttlMs` is the record's TTL, `lifetimeMs` its validity. */
async function record (k: PrivateKey, value: string, sequence: number, options: { ttlMs?: number, lifetimeMs?: number } = {}): Promise<Uint8Array> {
  return marshalIPNSRecord(await createIPNSRecord(k, value, BigInt(sequence), options.lifetimeMs ?? 3_600_000, { ttlNs: BigInt(options.ttlMs ?? 60_000) * 1_000_000n }))
}

async function servers (): Promise<{ routing: Awaited<ReturnType<typeof startRoutingServer>>, doh: Awaited<ReturnType<typeof startDohServer>> }> {
  const routing = await startRoutingServer()
  const doh = await startDohServer()
  running.push(routing, doh)
  return { routing, doh }
}

function resolver (sources: NameSources, clock = { now: Date.now() }): { names: NameResolver, store: MemoryNameStore, clock: { now: number } } {
  const store = new MemoryNameStore()
  return { names: new NameResolver({ store, sources: async () => sources, now: () => clock.now }), store, clock }
}

describe('resolving IPNS names through routing endpoints', () => {
  it('resolves a name to content with its path, keeps it, and answers within its TTL without asking', async () => {
    const { routing } = await servers()
    const alice = await key()
    routing.records.set(alice.name, await record(alice.key, `/ipfs/${FILE}/docs`, 1))
    const { names, store } = resolver({ routers: [routing.url], resolvers: [] })
    const first = await names.resolve(alice.name, ['index.html'])
    expect(first.cid.toString()).toBe(FILE)
    expect(first.segments).toEqual(['docs', 'index.html'])
    expect(first.steps).toMatchObject([{ name: alice.name, kind: 'ipns', sequence: '1', state: 'fresh', ttlMs: 60_000 }])
    await expect.poll(async () => (await store.get(alice.name))?.record).toEqual(routing.records.get(alice.name))
    const asked = routing.requests.length
    await names.resolve(alice.name)
    expect(routing.requests.length).toBe(asked)
    expect(names.stats()).toEqual([{ url: routing.url, served: 1, invalid: 0, failed: 0 }])
  })

  it('past the TTL answers from what is kept and refreshes in the background; offline, past the EOL too, it says so', async () => {
    const { routing } = await servers()
    const alice = await key()
    routing.records.set(alice.name, await record(alice.key, `/ipfs/${FILE}`, 1, { ttlMs: 1000, lifetimeMs: 5000 }))
    const { names, clock } = resolver({ routers: [routing.url], resolvers: [] })
    await names.resolve(alice.name)
    routing.records.set(alice.name, await record(alice.key, `/ipfs/${OTHER}`, 2, { ttlMs: 1000, lifetimeMs: 5000 }))
    clock.now += 2000
    const stale = await names.resolve(alice.name)
    expect(stale.cid.toString()).toBe(FILE)
    expect(stale.stale).toBe(true)
    expect(stale.steps[0].state).toBe('stale')
    await expect.poll(async () => (await names.resolve(alice.name, [], { offline: true })).cid.toString()).toBe(OTHER)
    clock.now += 3_600_000
    const kept = await names.resolve(alice.name, [], { offline: true })
    expect(kept.steps[0]).toMatchObject({ state: 'kept', expired: true, sequence: '2' })
    expect(kept.asOf).toBeLessThan(clock.now - 3_600_000 + 1)
  })

  it('takes the highest sequence of all endpoints, and never goes back to a lower one than it kept', async () => {
    const { routing } = await servers()
    const behind = await startRoutingServer()
    running.push(behind)
    const alice = await key()
    routing.records.set(alice.name, await record(alice.key, `/ipfs/${OTHER}`, 5, { ttlMs: 1000 }))
    behind.records.set(alice.name, await record(alice.key, `/ipfs/${FILE}`, 3, { ttlMs: 1000 }))
    const { names, clock } = resolver({ routers: [behind.url, routing.url], resolvers: [] })
    expect((await names.resolve(alice.name)).steps[0].sequence).toBe('5')
    routing.failWith = 500
    clock.now += 5000
    await names.resolve(alice.name)
    await expect.poll(() => names.stats().find(s => s.url === behind.url)?.invalid).toBe(1)
    expect((await names.resolve(alice.name, [], { offline: true })).steps[0].sequence).toBe('5')
  })

  it('refuses bad records with what each endpoint said, counted, never kept; no record anywhere is "not found"', async () => {
    const { routing } = await servers()
    const alice = await key()
    const mallory = await key()
    routing.records.set(alice.name, await record(mallory.key, `/ipfs/${FILE}`, 1))
    const { names, store } = resolver({ routers: [routing.url], resolvers: [] })
    await expect(names.resolve(alice.name)).rejects.toMatchObject({ name: 'NameUnavailableError', notFound: false, attempts: [{ source: new URL(routing.url).host, outcome: expect.stringContaining('refused') }] })
    expect(await store.get(alice.name)).toBeUndefined()
    expect(names.stats()[0]).toMatchObject({ invalid: 1 })
    const nobody = await key()
    await expect(names.resolve(nobody.name)).rejects.toMatchObject({ name: 'NameUnavailableError', notFound: true })
    await expect(resolver({ routers: [], resolvers: [] }).names.resolve(nobody.name)).rejects.toThrow('no routing endpoint is enabled')
  })
})

describe('resolving DNSLink through DNS-over-HTTPS', () => {
  it('reads _dnslink.<domain> first, then the domain itself, in the wire format or the JSON API', async () => {
    for (const forms of [['wire'], ['json']] as const) {
      const doh = await startDohServer([...forms])
      running.push(doh)
      doh.txt.set('_dnslink.docs.example.org', { texts: [`dnslink=/ipfs/${FILE}/site`, 'other=thing'], ttl: 120 })
      doh.txt.set('bare.example.org', { texts: [`dnslink=/ipfs/${OTHER}`], ttl: 30 })
      const { names } = resolver({ routers: [], resolvers: [`${doh.url}/dns-query`] })
      const docs = await names.resolve('docs.example.org')
      expect([docs.cid.toString(), docs.segments, docs.ttlMs]).toEqual([FILE, ['site'], 120_000])
      expect((await names.resolve('bare.example.org')).cid.toString()).toBe(OTHER)
      await expect(names.resolve('nothing.example.org')).rejects.toMatchObject({ name: 'NameUnavailableError', notFound: true })
    }
  })

  it('follows DNSLink to an IPNS name to content, and refuses garbage, loops and chains over 32 names', async () => {
    const { routing, doh } = await servers()
    const alice = await key()
    routing.records.set(alice.name, await record(alice.key, `/ipfs/${FILE}`, 1))
    doh.txt.set('_dnslink.site.example.org', { texts: [`dnslink=/ipns/${alice.name}`], ttl: 60 })
    doh.txt.set('_dnslink.garbage.example.org', { texts: ['dnslink=not a path'], ttl: 60 })
    doh.txt.set('_dnslink.a.example.org', { texts: ['dnslink=/ipns/b.example.org'], ttl: 60 })
    doh.txt.set('_dnslink.b.example.org', { texts: ['dnslink=/ipns/a.example.org'], ttl: 60 })
    for (let i = 0; i < 33; i++) doh.txt.set(`_dnslink.d${i}.example.org`, { texts: [i === 32 ? `dnslink=/ipfs/${FILE}` : `dnslink=/ipns/d${i + 1}.example.org`], ttl: 60 })
    const { names } = resolver({ routers: [routing.url], resolvers: [doh.url] })
    const site = await names.resolve('site.example.org')
    expect(site.steps.map(s => s.kind)).toEqual(['dnslink', 'ipns'])
    expect(site.cid.toString()).toBe(FILE)
    await expect(names.resolve('garbage.example.org')).rejects.toMatchObject({ name: 'NameUnavailableError', attempts: [{ outcome: expect.stringContaining('refused') }] })
    expect(names.stats().find(s => s.url === doh.url)?.invalid).toBe(1)
    await expect(names.resolve('a.example.org')).rejects.toMatchObject({ name: 'NameChainError' })
    await expect(names.resolve('d1.example.org')).resolves.toMatchObject({ steps: expect.any(Array) })
    await expect(names.resolve('d0.example.org')).rejects.toMatchObject({ name: 'NameChainError' })
  })
})
