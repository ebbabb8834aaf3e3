import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CarReader } from '@ipld/car'
import { afterEach, describe, expect, it } from 'vitest'
import { MemoryBlockstore } from '../../../src/content/blockstore/memory-blockstore.ts'
import { handleGatewayRequest } from '../../../src/gateway/gateway.ts'
import { handleNameRequest } from '../../../src/gateway/name-request.ts'
import { CONTENT_SECURITY_POLICY } from '../../../src/gateway/security-headers.ts'
import { NameResolver } from '../../../src/names/name-resolver.ts'
import { MemoryNameStore } from '../../../src/names/name-store.ts'
import { fixturesDir } from '../../support/fixtures.ts'
import { startDohServer, startRoutingServer, type LocalServer } from '../../support/name-servers.ts'

// The upstream gateway conformance fixtures for names: the subdomain gateway's Ed25519 record
// (pointing at "hello\n"), its DNSLink domains and the DNSLink-over-IPNS ones, served by a
// local routing endpoint and a local DNS-over-HTTPS resolver, as the upstream suite does.
const fixtures = join(fixturesDir, 'gateway-conformance', 'fixtures')
const KEY = '12D3KooWLQzUv2FHWGVPXTXSZpdHs7oHbXub2G5WC8Tx4NQhyd2d'
const KEY_CID = 'k51qzi5uqu5dk3v4rmjber23h16xnr23bsggmqqil9z2gduiis5se8dht36dam'
const HELLO = 'bafkreicysg23kiwv34eg2d7qweipxwosdo2py4ldv42nbauguluen5v6am'

const running: LocalServer[] = []
afterEach(async () => { await Promise.all(running.splice(0).map(async s => s.stop())) })

/** The yml fixtures' `domain:` and `path:` pairs. */
function dnslinks (file: string): Array<{ domain: string, path: string }> {
  const text = readFileSync(join(fixtures, file), 'utf8')
  return [...text.matchAll(/domain: (\S+)\s+(?:#.*\s+)*path: (\S+)/g)].map(m => ({ domain: m[1], path: m[2] }))
}

async function gateway (): Promise<{ get: (path: string, headers?: Record<string, string>) => Promise<Response>, record: Uint8Array }> {
  const store = new MemoryBlockstore()
  const reader = await CarReader.fromBytes(readFileSync(join(fixtures, 'subdomain_gateway', 'fixtures.car')))
  for await (const { cid, bytes } of reader.blocks()) await store.put(cid, bytes)
  const routing = await startRoutingServer()
  const doh = await startDohServer()
  running.push(routing, doh)
  const record = new Uint8Array(readFileSync(join(fixtures, 'subdomain_gateway', `${KEY}.ipns-record`)))
  routing.records.set(KEY_CID, record)
  doh.txt.set('_dnslink.dir.example.org', { texts: [`dnslink=/ipfs/${(await reader.getRoots())[0]}`], ttl: 60 })
  for (const { domain, path } of [...dnslinks('dnslink_ipns/dnslink.yml'), ...dnslinks('subdomain_gateway/dnslink.yml')]) {
    doh.txt.set(`_dnslink.${domain}`, { texts: [`dnslink=${path}`], ttl: 60 })
  }
  const names = new NameResolver({ store: new MemoryNameStore(), sources: async () => ({ routers: [routing.url], resolvers: [`${doh.url}/dns-query`] }) })
  const answer = async (ipfs: Request): Promise<Response> => handleGatewayRequest(ipfs, async cid => store.getBytes(cid))
  return {
    record,
    get: async (path, headers = {}) => handleNameRequest(new Request(`http://localhost${path}`, { headers }), names, answer)
  }
}

describe('the gateway\'s /ipns/ routes on the conformance fixtures', () => {
  it('serves an IPNS name given as a PeerId or a libp2p-key CID, with the name as X-Ipfs-Path and its TTL as Cache-Control', async () => {
    const { get } = await gateway()
    for (const name of [KEY, KEY_CID]) {
      const response = await get(`/ipns/${name}`)
      expect(response.status, name).toBe(200)
      expect(await response.text()).toBe('hello\n')
      expect(response.headers.get('X-Ipfs-Path')).toBe(`/ipns/${name}`)
      expect(response.headers.get('Etag')).toContain(HELLO)
      expect(response.headers.get('Cache-Control')).toMatch(/^public, max-age=\d+$/)
      expect(response.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY)
      expect(response.headers.get('Cairn-Name-State')).toBe('fresh')
    }
  })

  it('follows DNSLink domains, to content and to IPNS names, from the fixtures\' dnslink.yml', async () => {
    const { get } = await gateway()
    for (const domain of ['dnslink-over-ipns.example.org', 'dnslink-over-ipns-cidv1.example.org', 'dnslink-test.example.org']) {
      const response = await get(`/ipns/${domain}`)
      expect(response.status, domain).toBe(200)
      expect(await response.text()).toBe('hello\n')
      expect(response.headers.get('X-Ipfs-Path')).toBe(`/ipns/${domain}`)
    }
    expect((await get('/ipns/dnslink-test.example.org?format=raw')).headers.get('Content-Type')).toBe('application/vnd.ipld.raw')
  })

  it('gives the signed record as it was received for ?format=ipns-record and its Accept form (IPIP-351)', async () => {
    const { get, record } = await gateway()
    for (const response of [await get(`/ipns/${KEY_CID}?format=ipns-record`), await get(`/ipns/${KEY}`, { Accept: 'application/vnd.ipfs.ipns-record' })]) {
      expect(response.status).toBe(200)
      expect(response.headers.get('Content-Type')).toBe('application/vnd.ipfs.ipns-record')
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(record)
    }
    expect((await get('/ipns/dnslink-test.example.org?format=ipns-record')).status).toBe(400)
  })

  it('redirects a named directory without its trailing slash on the name (301), gives max-age as the TTL left, and no record for a path', async () => {
    const { get } = await gateway()
    const redirect = await get('/ipns/dir.example.org/testdirlisting')
    expect(redirect.status).toBe(301)
    expect(redirect.headers.get('Location')).toBe('/ipns/dir.example.org/testdirlisting/')
    const listing = await get('/ipns/dir.example.org/testdirlisting/')
    expect(listing.status).toBe(200)
    expect(Number(/max-age=(\d+)/.exec(listing.headers.get('Cache-Control') ?? '')?.[1])).toBeGreaterThan(55)
    expect(Number(/max-age=(\d+)/.exec(listing.headers.get('Cache-Control') ?? '')?.[1])).toBeLessThanOrEqual(60)
    expect(listing.headers.get('Last-Modified')).not.toBeNull()
    expect((await get(`/ipns/${KEY}/file?format=ipns-record`)).status).toBe(400)
  })

  it('answers a name nobody has with 404, a bad name with 400, and only-if-cached from what is kept (412 when nothing is)', async () => {
    const { get } = await gateway()
    expect((await get('/ipns/k51qzi5uqu5dlvj2baxnqndepeb86cbk3ng7n3i46uzyxzyqj2xjonzllnv0v8')).status).toBe(404)
    expect((await get('/ipns/not-a-name')).status).toBe(400)
    expect((await get('/ipns/nowhere.example.org')).status).toBe(404)
    expect((await get(`/ipns/${KEY}`, { 'Cache-Control': 'only-if-cached' })).status).toBe(412)
    expect((await get(`/ipns/${KEY}`)).status).toBe(200)
    const kept = await get(`/ipns/${KEY}`, { 'Cache-Control': 'only-if-cached' })
    expect(kept.status).toBe(200)
    expect(await kept.text()).toBe('hello\n')
  })
})
