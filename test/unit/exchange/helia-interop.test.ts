import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CID } from 'multiformats/cid'
import { afterEach, describe, expect, it } from 'vitest'
import { handleGatewayRequest } from '../../../src/gateway/gateway.ts'
import { FetchSession } from '../../../src/content/fetch-session.ts'
import { bytesOf } from '../../support/bytes.ts'
import { fixturesDir } from '../../support/fixtures.ts'
import { startHelia, startRoutingServer, type TestHelia } from '../../support/exchange-peers.ts'
import { memoryCairn, type MemoryCairn } from '../../support/memory-cairn.ts'

const stops: Array<() => Promise<void>> = []
afterEach(async () => {
  while (stops.length > 0) await stops.pop()?.()
})

async function helia (): Promise<TestHelia> {
  const node = await startHelia()
  stops.push(node.stop)
  return node
}

async function cairn (options: Parameters<typeof memoryCairn>[0] = {}): Promise<MemoryCairn> {
  const node = await memoryCairn(options)
  stops.push(async () => node.cairn.stop())
  return node
}

async function gatewayBytes (node: MemoryCairn, path: string): Promise<{ status: number, bytes: Uint8Array }> {
  const session = new FetchSession()
  const response = await handleGatewayRequest(new Request(`http://localhost${path}`), async (cid, options) => node.cairn.blocks.get(cid, { ...options, session }))
  return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()) }
}

describe('Bitswap with a real Helia node (WebSockets on loopback)', () => {
  it('Cairn fetches a file Helia added, found through delegated routing, verified byte for byte and kept', async () => {
    const h = await helia()
    const content = bytesOf(3 * 1024 * 1024 + 12345, 7)
    const root = await h.fs.addBytes(content, { rawLeaves: true, chunker: undefined })
    const routing = await startRoutingServer(() => [{ id: h.helia.libp2p.peerId, multiaddrs: h.multiaddrs }])
    stops.push(routing.stop)
    const node = await cairn({ exchange: { share: true, routers: [{ url: routing.url, enabled: true }], gateways: [] } })

    const { status, bytes } = await gatewayBytes(node, `/ipfs/${root}`)
    expect(status).toBe(200)
    expect(bytes.length).toBe(content.length)
    expect(bytes).toEqual(content)
    expect(routing.lookups).toContain(root.toString())
    // Every block is stored now: the same request works offline.
    const offline = await handleGatewayRequest(new Request(`http://localhost/ipfs/${root}`, { headers: { 'Cache-Control': 'only-if-cached' } }), async (cid, options) => node.cairn.blocks.get(cid, options))
    expect(offline.status).toBe(200)
    expect(new Uint8Array(await offline.arrayBuffer())).toEqual(content)
    const stats = node.cairn.exchange.exchange.stats().find(s => s.name === 'bitswap')
    expect(stats?.blocks).toBeGreaterThan(3)
    expect(stats?.wrong).toBe(0)
    const peers = (await node.cairn.network.get()).peers()
    expect(peers.bitswap[h.helia.libp2p.peerId.toString()]?.blocksReceived).toBe(stats?.blocks)
  })

  it('Helia fetches a DAG that Cairn holds (imported from a CAR), and gets nothing once sharing is off', async () => {
    const node = await cairn()
    const car = new Uint8Array(readFileSync(join(fixturesDir, 'gateway-conformance', 'fixtures', 'path_gateway_unixfs', 'dir-with-files.car')))
    const summary = await node.cairn.cars.import([car], { name: 'dir.car' })
    const root = CID.parse(summary.roots[0])
    const h = await helia()
    const network = await node.cairn.network.get()
    await network.dial(h.multiaddrs[0].toString())

    const names: string[] = []
    for await (const entry of h.fs.ls(root, { signal: AbortSignal.timeout(10_000) })) names.push(entry.name)
    expect(names.length).toBeGreaterThan(0)
    for (const name of names) {
      const entry = await h.fs.stat(root, { path: name, signal: AbortSignal.timeout(10_000) })
      if (entry.type !== 'file' && entry.type !== 'raw') continue
      const chunks: Uint8Array[] = []
      for await (const chunk of h.fs.cat(root, { path: name, signal: AbortSignal.timeout(10_000) })) chunks.push(chunk)
      const fromHelia = new Uint8Array(chunks.reduce<number[]>((all, c) => all.concat([...c]), []))
      const { bytes } = await gatewayBytes(node, `/ipfs/${root}/${encodeURIComponent(name)}`)
      expect(fromHelia).toEqual(bytes)
    }
    const sent = network.peers().bitswap[h.helia.libp2p.peerId.toString()]
    expect(sent?.blocksSent).toBeGreaterThan(0)

    // Sharing off: the same node answers DONT_HAVE, so Helia cannot get a block it lacks;
    // sharing on again, and it gets the next one it asks for.
    const heliaGet = async (cid: CID): Promise<Uint8Array> => {
      const chunks: Uint8Array[] = []
      for await (const chunk of h.helia.blockstore.get(cid, { signal: AbortSignal.timeout(3_000) })) chunks.push(chunk)
      return chunks[0]
    }
    await node.cairn.exchange.apply({ share: false, routers: [], gateways: [] })
    const other = CID.parse((await node.cairn.content.dagPut({ json: '{"shared":"later"}' })).cid)
    await expect(heliaGet(other)).rejects.toThrow()
    await node.cairn.exchange.apply({ share: true, routers: [], gateways: [] })
    const next = CID.parse((await node.cairn.content.dagPut({ json: '{"shared":"now"}' })).cid)
    expect(await heliaGet(next)).toEqual(await node.cairn.blocks.get(next, { offline: true }))
  })
})
