import { delegatedRoutingV1HttpApiClient } from '@helia/delegated-routing-v1-http-api-client'
import { createVerifiedFetch } from '@helia/verified-fetch'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { createHelia } from 'helia'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger } from '@libp2p/logger'
import { peerIdFromCID, peerIdFromPrivateKey } from '@libp2p/peer-id'
import { createIPNSRecord, marshalIPNSRecord } from 'ipns'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseName, type IpnsKeyName } from '../../../src/names/name.ts'
import { fetchRoutingRecord, putRoutingRecord } from '../../../src/names/routing-records.ts'
import type { PinStatusBody } from '../../../src/relay/home/pin-service.ts'
import { bytesOf } from '../../support/bytes.ts'
import { startHelia, type TestHelia } from '../../support/exchange-peers.ts'
import { pinApi, pinSettles, removeHome, startTestHome, type TestHome } from '../../support/home-node.ts'

/**
 * What the home node serves to others, checked with the ecosystem's own clients: Helia's
 * verified-fetch over its trustless gateway, Helia's delegated routing client over its
 * routing endpoint, and IPNS records put and read back as any router's.
 */
describe('the home node serves what it keeps to anyone', () => {
  let home: TestHome
  let source: TestHelia
  const content = bytesOf(700 * 1024 + 3, 31)
  let root: Awaited<ReturnType<TestHelia['fs']['addBytes']>>

  beforeAll(async () => {
    home = await startTestHome()
    source = await startHelia()
    root = await source.fs.addBytes(content, { rawLeaves: true, cidVersion: 1, chunker: fixedSize({ chunkSize: 128 * 1024 }) })
    const { secret } = await home.home.tokens.add('desktop')
    const asked = await pinApi<PinStatusBody>(`${home.url}/pins`, secret, 'POST', { cid: root.toString(), origins: source.multiaddrs.map(String) })
    await pinSettles(home, secret, asked.body.requestid, 'pinned')
    await source.stop()
  })
  afterAll(async () => {
    await home.stop()
    await removeHome(home.dir)
  })

  it('serves a pinned file to @helia/verified-fetch through its trustless gateway, with the author gone', async () => {
    // A Helia node with no peers and no routers: the home node is its only (trustless) gateway.
    const helia = await createHelia({
      libp2p: { config: 'replace', addresses: { listen: [] }, transports: [], connectionEncrypters: [noise()], streamMuxers: [yamux()] },
      http: { delegatedRouters: [], recursiveGateways: [home.url], allowLocal: true, allowInsecure: true },
      routers: []
    } as Parameters<typeof createHelia>[0])
    await helia.start()
    try {
      const verifiedFetch = await createVerifiedFetch(helia)
      const response = await verifiedFetch(`ipfs://${root}`, { signal: AbortSignal.timeout(20_000) })
      expect(response.status).toBe(200)
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(content)
    } finally {
      await helia.stop()
    }
  })

  it('names itself as the provider to Helia\'s delegated routing client, with its Bitswap and HTTP addresses', async () => {
    const client = delegatedRoutingV1HttpApiClient({ url: home.url, timeout: 5_000 })({ logger: defaultLogger() })
    await client.start()
    try {
      const found = []
      for await (const provider of client.getProviders(root)) found.push(provider)
      expect(found).toHaveLength(1)
      expect(peerIdFromCID(found[0].ID).toString()).toBe(home.relay.peerId)
      expect(found[0].Protocols).toEqual(['transport-bitswap', 'transport-ipfs-gateway-http'])
      expect(found[0].Addrs.map(String)).toEqual([home.relay.multiaddrs[0].replace(/\/p2p\/\w+$/, ''), `/ip4/127.0.0.1/tcp/${home.home.http.port}/http`])
      const onlyHttp = []
      for await (const provider of client.getProviders(root, { filterAddrs: ['http'] })) onlyHttp.push(provider)
      expect(onlyHttp[0].Addrs.map(String)).toEqual([`/ip4/127.0.0.1/tcp/${home.home.http.port}/http`])
    } finally {
      await client.stop()
    }
    const ndjson = await fetch(`${home.url}/routing/v1/providers/${root}`, { headers: { accept: 'application/x-ndjson' } })
    expect(ndjson.headers.get('content-type')).toBe('application/x-ndjson')
    expect(JSON.parse((await ndjson.text()).trim())).toMatchObject({ Schema: 'peer', ID: home.relay.peerId })
    expect((await fetch(`${home.url}/routing/v1/providers/not-a-cid`)).status).toBe(400)
  })

  it('keeps IPNS records put to it, refuses bad and older ones, and serves the best across a restart', async () => {
    const key = await generateKeyPair('Ed25519')
    const name = parseName(peerIdFromPrivateKey(key).toCID().toString()) as IpnsKeyName
    const record = async (sequence: bigint): Promise<Uint8Array> => marshalIPNSRecord(await createIPNSRecord(key, `/ipfs/${root}`, sequence, 24 * 3600_000))
    expect(await fetchRoutingRecord(home.url, name)).toEqual({ found: false, reason: 'no record (404)' })
    await putRoutingRecord(home.url, name.name, await record(5n))
    const second = await record(6n)
    await putRoutingRecord(home.url, name.name, second)
    expect(await fetchRoutingRecord(home.url, name)).toEqual({ found: true, bytes: second })
    await expect(putRoutingRecord(home.url, name.name, await record(4n))).rejects.toThrow(/409/)
    const refused = async (body: Uint8Array, type: string): Promise<number> => (await fetch(`${home.url}/routing/v1/ipns/${name.name}`, { method: 'PUT', headers: { 'content-type': type }, body: body as Uint8Array<ArrayBuffer> })).status
    expect(await refused(new Uint8Array([1, 2, 3]), 'application/vnd.ipfs.ipns-record')).toBe(400)
    expect(await refused(second, 'application/octet-stream')).toBe(406)
    expect(await refused(new Uint8Array(11 * 1024), 'application/vnd.ipfs.ipns-record')).toBe(413)
    // Someone else's record under this name does not verify.
    const other = marshalIPNSRecord(await createIPNSRecord(await generateKeyPair('Ed25519'), `/ipfs/${root}`, 9n, 60_000))
    expect(await refused(other, 'application/vnd.ipfs.ipns-record')).toBe(400)

    home = await home.restart()
    expect(await fetchRoutingRecord(home.url, name)).toEqual({ found: true, bytes: second })
    const response = await fetch(`${home.url}/routing/v1/ipns/${name.name}`)
    expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+, stale-while-revalidate=\d+, stale-if-error=\d+$/)
  })
})
