import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterEach, describe, expect, it } from 'vitest'
import { FetchSession } from '../../../src/content/fetch-session.ts'
import { verifyBlock } from '../../../src/content/hashing.ts'
import { BlockUnavailableError } from '../../../src/exchange/errors.ts'
import { Exchange } from '../../../src/exchange/exchange.ts'
import { gatewayBroker } from '../../../src/exchange/gateway-broker.ts'
import { handleGatewayRequest } from '../../../src/gateway/gateway.ts'
import { bytesOf } from '../../support/bytes.ts'
import { startHelia, startHttpServer, startRoutingServer } from '../../support/exchange-peers.ts'
import { startTrustlessGateway } from '../../support/trustless-gateway.ts'
import { memoryCairn } from '../../support/memory-cairn.ts'

const stops: Array<() => Promise<void>> = []
afterEach(async () => {
  while (stops.length > 0) await stops.pop()?.()
})

async function track<T extends { stop: () => Promise<void> }> (thing: Promise<T>): Promise<T> {
  const started = await thing
  stops.push(started.stop)
  return started
}

/** A UnixFS file added to a Helia node's blockstore, to be served by HTTP gateways in these tests. */
async function heliaFile (size: number, seed: number): Promise<{ root: CID, content: Uint8Array, get: (cid: CID) => Promise<Uint8Array> }> {
  const h = await track(startHelia())
  const content = bytesOf(size, seed)
  const root = await h.fs.addBytes(content, { rawLeaves: true })
  const get = async (cid: CID): Promise<Uint8Array> => {
    const chunks: Uint8Array[] = []
    for await (const chunk of h.helia.blockstore.get(cid, { offline: true })) chunks.push(chunk)
    return chunks[0]
  }
  return { root, content, get }
}

async function rawBlock (text: string): Promise<{ cid: CID, bytes: Uint8Array }> {
  const bytes = new TextEncoder().encode(text)
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
}

describe('trustless gateways as block sources', () => {
  it('fetches a file through a local trustless gateway; a lying gateway is counted and never stored', async () => {
    const file = await heliaFile(2 * 1024 * 1024 + 100, 3)
    const honest = await track(startTrustlessGateway(file.get))
    const liar = await track(startHttpServer((_req, res) => {
      res.setHeader('Content-Type', 'application/vnd.ipld.raw')
      res.end(Buffer.from('not the block you asked for'))
    }))
    const node = await memoryCairn({ exchange: { share: true, routers: [], gateways: [{ url: liar.url, enabled: true }, { url: honest.url, enabled: true }] } })
    stops.push(async () => node.cairn.stop())

    const session = new FetchSession()
    const response = await handleGatewayRequest(new Request(`http://localhost/ipfs/${file.root}`), async (cid, options) => node.cairn.blocks.get(cid, { ...options, session }))
    expect(response.status).toBe(200)
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(file.content)
    expect(honest.requests.every(url => url.endsWith('?format=raw'))).toBe(true)

    const stats = Object.fromEntries(node.cairn.exchange.exchange.stats().map(s => [s.name, s]))
    expect(stats[liar.url].wrong).toBeGreaterThan(0)
    expect(stats[liar.url].blocks).toBe(0)
    expect(stats[honest.url].blocks).toBe(session.progress.blocks)
    expect(session.progress.sources[honest.url]).toBe(session.progress.blocks)
    // Only verified blocks reached the store.
    for await (const { cid, bytes } of node.blockstore.getAll()) {
      const chunks: Uint8Array[] = []
      for await (const chunk of bytes) chunks.push(chunk)
      await verifyBlock(cid, chunks[0])
    }
  })

  it('refuses an HTML error page, a body over 2 MiB and a hanging gateway, and says what each did (504)', async () => {
    const block = await rawBlock('the wanted block')
    const html = await track(startHttpServer((_req, res) => {
      res.setHeader('Content-Type', 'text/html')
      res.end('<html><body>Rate limited, try again</body></html>')
    }))
    const huge = await track(startHttpServer((_req, res) => {
      res.setHeader('Content-Type', 'application/vnd.ipld.raw')
      res.end(Buffer.alloc(3 * 1024 * 1024, 1))
    }))
    const missing = await track(startHttpServer((_req, res) => {
      res.statusCode = 404
      res.end('not here')
    }))
    const hanging = await track(startHttpServer(() => { /* never answers */ }))
    const brokers = [html, huge, missing, hanging].map(s => gatewayBroker(s.url, { allowLocal: true }))
    const exchange = new Exchange({ brokers: async () => brokers, timeoutMs: 1500 })

    const started = Date.now()
    const error = await exchange.fetch(block.cid).catch((err: unknown) => err)
    expect(error).toBeInstanceOf(BlockUnavailableError)
    expect(Date.now() - started).toBeLessThan(5000)
    const outcomes = Object.fromEntries((error as BlockUnavailableError).attempts.map(a => [a.source, a.outcome]))
    expect(outcomes[html.url]).toMatch(/do not match the CID/)
    expect(outcomes[huge.url]).toMatch(/2 MiB/)
    expect(outcomes[missing.url]).toMatch(/404/)
    expect(outcomes[hanging.url]).toMatch(/no answer within 2 s/)

    const page = await handleGatewayRequest(new Request(`http://localhost/ipfs/${block.cid}`), async cid => (await exchange.fetch(cid)).bytes)
    expect(page.status).toBe(504)
    const text = await page.text()
    expect(text).toContain(html.url)
    expect(text).toContain('Tried')
  })

  it('goes on with the gateways when the delegated router returns junk or providers that cannot be dialled', async () => {
    const file = await heliaFile(300 * 1024, 5)
    const honest = await track(startTrustlessGateway(file.get))
    const junk = await track(startHttpServer((_req, res) => {
      res.setHeader('Content-Type', 'application/x-ndjson')
      res.end('{"Schema":"peer","ID":"not-a-peer-id","Addrs":["/nonsense"]}\n}}}garbage{{{\n')
    }))
    const h = await track(startHelia())
    const unreachable = await track(startRoutingServer(() => [{ id: h.helia.libp2p.peerId, multiaddrs: [] }]))
    await h.stop()
    const node = await memoryCairn({
      exchange: {
        share: true,
        routers: [{ url: junk.url, enabled: true }, { url: unreachable.url, enabled: true }],
        gateways: [{ url: honest.url, enabled: true }]
      }
    })
    stops.push(async () => node.cairn.stop())
    const response = await handleGatewayRequest(new Request(`http://localhost/ipfs/${file.root}`), async (cid, options) => node.cairn.blocks.get(cid, options))
    expect(response.status).toBe(200)
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(file.content)
    expect(junk.requests.length).toBeGreaterThan(0)
    expect(unreachable.lookups.length).toBeGreaterThan(0)
  })

  it('never fetches under only-if-cached: 412, no request to any source, nothing stored', async () => {
    const block = await rawBlock('only if cached')
    const served = await track(startTrustlessGateway(async () => block.bytes))
    const node = await memoryCairn({ exchange: { share: true, routers: [], gateways: [{ url: served.url, enabled: true }] } })
    stops.push(async () => node.cairn.stop())
    const response = await handleGatewayRequest(new Request(`http://localhost/ipfs/${block.cid}`, { headers: { 'Cache-Control': 'only-if-cached' } }), async (cid, options) => node.cairn.blocks.get(cid, options))
    expect(response.status).toBe(412)
    expect(served.requests).toEqual([])
    expect(await node.cairn.blocks.has(block.cid)).toBe(false)
  })
})
