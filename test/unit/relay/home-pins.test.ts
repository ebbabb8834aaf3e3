import { CarReader } from '@ipld/car'
import type { Libp2p } from '@libp2p/interface'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { CID } from 'multiformats/cid'
import { afterEach, describe, expect, it } from 'vitest'
import { verifyBlock } from '../../../src/content/hashing.ts'
import type { PinStatusBody } from '../../../src/relay/home/pin-service.ts'
import { bytesOf } from '../../support/bytes.ts'
import { startHelia, type TestHelia } from '../../support/exchange-peers.ts'
import { pinApi, pinSettles, removeHome, startTestHome, type TestHome } from '../../support/home-node.ts'

/**
 * The relay as a home node, end to end in Node.js: a Helia node has the data, a client asks
 * the relay to keep it through the Pinning Service API (origins: the Helia node), the relay
 * fetches it over Bitswap, keeps it across restarts, serves it, and lets it go when unpinned.
 */
describe('the home node keeps what its users pin', () => {
  const running: Array<{ stop: () => Promise<void> }> = []
  const dirs: string[] = []
  afterEach(async () => {
    await Promise.all(running.splice(0).reverse().map(async r => r.stop()))
    await Promise.all(dirs.splice(0).map(removeHome))
  })
  async function home (stallMs?: number): Promise<TestHome> {
    const h = await startTestHome(stallMs === undefined ? {} : { stallMs })
    running.push(h)
    dirs.push(h.dir)
    return h
  }
  async function helia (): Promise<TestHelia> {
    const h = await startHelia()
    running.push(h)
    return h
  }
  const origins = (h: TestHelia): string[] => h.multiaddrs.map(String)

  it('pins a file from its origin, serves it as a CAR and to routing, keeps it across a restart, and collects it when unpinned', async () => {
    let h = await home()
    const source = await helia()
    const content = bytesOf(1024 * 1024 + 17, 5)
    const root = await source.fs.addBytes(content, { rawLeaves: true, cidVersion: 1, chunker: fixedSize({ chunkSize: 256 * 1024 }) })
    const { secret } = await h.home.tokens.add('laptop')

    const asked = await pinApi<PinStatusBody>(`${h.url}/pins`, secret, 'POST', { cid: root.toString(), name: 'movie.bin', origins: origins(source), meta: { app: 'cairn' } })
    expect(asked.status).toBe(202)
    expect(asked.body).toMatchObject({ status: 'queued', pin: { cid: root.toString(), name: 'movie.bin', meta: { app: 'cairn' } } })
    expect(asked.body.delegates).toEqual(h.relay.multiaddrs)
    const pinned = await pinSettles(h, secret, asked.body.requestid, 'pinned')
    expect(pinned.info.dag_size).toBe(String(content.length + (await source.helia.blockstore.get(root).next()).value!.length))
    expect(pinned.created).toBe(asked.body.created)

    // The trustless gateway gives the whole DAG, every block checking against its CID.
    const car = await fetch(`${h.url}/ipfs/${root}?format=car`)
    expect(car.status).toBe(200)
    expect(car.headers.get('content-type')).toContain('application/vnd.ipld.car')
    const reader = await CarReader.fromBytes(new Uint8Array(await car.arrayBuffer()))
    expect((await reader.getRoots()).map(String)).toEqual([root.toString()])
    let blocks = 0
    for await (const block of reader.blocks()) {
      await verifyBlock(block.cid, block.bytes)
      blocks++
    }
    expect(blocks).toBe(6)
    // Not as a web page: this is a trustless gateway.
    expect((await fetch(`${h.url}/ipfs/${root}`)).status).toBe(406)
    const providers = await (await fetch(`${h.url}/routing/v1/providers/${root}`)).json() as { Providers: Array<{ ID: string, Protocols: string[], Addrs: string[] }> }
    expect(providers.Providers).toHaveLength(1)
    expect(providers.Providers[0]).toMatchObject({ ID: h.relay.peerId, Protocols: ['transport-bitswap', 'transport-ipfs-gateway-http'] })
    expect(providers.Providers[0].Addrs).toContain(`/ip4/127.0.0.1/tcp/${h.home.http.port}/http`)

    // The origin goes away and the relay restarts: the pin and its blocks are still there.
    await source.stop()
    h = await h.restart()
    running.push(h)
    expect((await pinApi<PinStatusBody>(`${h.url}/pins/${asked.body.requestid}`, secret)).body.status).toBe('pinned')
    const raw = await fetch(`${h.url}/ipfs/${root}?format=raw`)
    expect(raw.status).toBe(200)
    await verifyBlock(root, new Uint8Array(await raw.arrayBuffer()))

    expect((await pinApi(`${h.url}/pins/${asked.body.requestid}`, secret, 'DELETE')).status).toBe(202)
    await expect.poll(() => h.home.kept.stat().blocks, { timeout: 10_000 }).toBe(0)
    expect((await pinApi(`${h.url}/pins/${asked.body.requestid}`, secret)).status).toBe(404)
    expect((await fetch(`${h.url}/ipfs/${root}?format=raw`)).status).toBe(404)
    expect(await (await fetch(`${h.url}/routing/v1/providers/${root}`)).json()).toEqual({ Providers: [] })
  })

  it('fails a pin nobody can give after the stall time, says why, and keeps nothing of it', async () => {
    const h = await home(1_500)
    const { secret } = await h.home.tokens.add('phone')
    const nobody = CID.parse('bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy')
    const asked = await pinApi<PinStatusBody>(`${h.url}/pins`, secret, 'POST', { cid: nobody.toString() })
    const failed = await pinSettles(h, secret, asked.body.requestid, 'failed')
    expect(failed.info.status_details).toMatch(/no peer gave block .* within 2 s/)
    // A failed pin uses none of the quota, and stays listed as failed.
    const listed = await pinApi<{ count: number }>(`${h.url}/pins?status=failed`, secret)
    expect(listed.body.count).toBe(1)
    expect(h.home.pins.usage((h.home.tokens.list()[0]).id)).toEqual({ bytes: 0, pins: 0 })
  })

  it('resumes a pin that was being fetched when the relay stopped', async () => {
    let h = await home(60_000)
    const { secret } = await h.home.tokens.add('tablet')
    // Content nobody has yet: the pin waits in "pinning".
    const source = await helia()
    const content = bytesOf(300 * 1024, 9)
    const root = await source.fs.addBytes(content, { rawLeaves: true, cidVersion: 1, chunker: fixedSize({ chunkSize: 64 * 1024 }) })
    const offline = await helia()
    const asked = await pinApi<PinStatusBody>(`${h.url}/pins`, secret, 'POST', { cid: root.toString(), origins: origins(offline) })
    await pinSettles(h, secret, asked.body.requestid, 'pinning')
    h = await h.restart()
    running.push(h)
    // After the restart the pin is picked up again; the data's holder connects and it completes.
    expect((await pinApi<PinStatusBody>(`${h.url}/pins/${asked.body.requestid}`, secret)).body.status).toMatch(/queued|pinning/)
    await (source.helia.libp2p as unknown as Libp2p).dial(h.relay.node.getMultiaddrs()[0])
    const pinned = await pinSettles(h, secret, asked.body.requestid, 'pinned')
    expect(Number(pinned.info.dag_size)).toBeGreaterThan(content.length)
  })

  it('refuses past a token\'s quota with a 409, and fails a pin whose DAG outgrows it, collecting what it fetched', async () => {
    const h = await home()
    const source = await helia()
    const small = await source.fs.addBytes(bytesOf(1000, 1), { rawLeaves: true, cidVersion: 1 })
    const big = await source.fs.addBytes(bytesOf(200 * 1024, 2), { rawLeaves: true, cidVersion: 1, chunker: fixedSize({ chunkSize: 16 * 1024 }) })
    const { secret } = await h.home.tokens.add('kiosk', { bytes: 50 * 1024, pins: 2 })
    const first = await pinApi<PinStatusBody>(`${h.url}/pins`, secret, 'POST', { cid: small.toString(), origins: origins(source) })
    await pinSettles(h, secret, first.body.requestid, 'pinned')
    const second = await pinApi<PinStatusBody>(`${h.url}/pins`, secret, 'POST', { cid: big.toString(), origins: origins(source) })
    const failed = await pinSettles(h, secret, second.body.requestid, 'failed')
    expect(failed.info.status_details).toMatch(/over quota/)
    await expect.poll(() => h.home.kept.stat(), { timeout: 10_000 }).toEqual({ blocks: 1, bytes: 1000 })
    await pinApi(`${h.url}/pins`, secret, 'POST', { cid: small.toString(), name: 'again' })
    const third = await pinApi<{ error: { reason: string, details: string } }>(`${h.url}/pins`, secret, 'POST', { cid: small.toString() })
    expect(third.status).toBe(409)
    expect(third.body.error.reason).toBe('INSUFFICIENT_FUNDS')
    expect(third.body.error.details).toMatch(/2 pins/)
  })
})
