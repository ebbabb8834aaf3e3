import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import type { CID } from 'multiformats/cid'
import { afterEach, describe, expect, it } from 'vitest'
import { fetchDag } from '../../../src/exchange/fetch-dag.ts'
import { bytesOf } from '../../support/bytes.ts'
import { startHelia, startHttpServer } from '../../support/exchange-peers.ts'
import { memoryCairn } from '../../support/memory-cairn.ts'

const stops: Array<() => Promise<void>> = []
afterEach(async () => {
  while (stops.length > 0) await stops.pop()?.()
})

describe('fetchDag ("fetch everything")', () => {
  it('stores every block of a DAG from a slow gateway, many at once, with progress; again it fetches nothing', async () => {
    const h = await startHelia()
    stops.push(h.stop)
    const content = bytesOf(5 * 1024 * 1024, 14)
    const root = await h.fs.addBytes(content, { rawLeaves: true, cidVersion: 1, chunker: fixedSize({ chunkSize: 256 * 1024 }) })
    const blockOf = async (cid: CID): Promise<Uint8Array> => {
      const chunks: Uint8Array[] = []
      for await (const chunk of h.helia.blockstore.get(cid, { offline: true })) chunks.push(chunk)
      return chunks[0]
    }
    const gateway = await startHttpServer(async (req, res) => {
      await new Promise(resolve => setTimeout(resolve, 100))
      const { CID } = await import('multiformats/cid')
      const cid = CID.parse(/^\/ipfs\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? '')
      res.end(Buffer.from(await blockOf(cid)))
    })
    stops.push(gateway.stop)
    const node = await memoryCairn({ exchange: { share: true, routers: [], gateways: [{ url: gateway.url, enabled: true }] } })
    stops.push(async () => node.cairn.stop())

    const events: number[] = []
    const summary = await fetchDag(node.cairn.blocks, root, { onProgress: p => events.push(p.blocks), progressEveryMs: 0 })
    expect(summary).toMatchObject({ complete: true, blocks: 21, fetchedBlocks: 21, missing: 0, known: 21 })
    expect(summary.sources).toEqual({ [gateway.url]: 21 })
    expect(events.at(-1)).toBe(21)
    const again = await fetchDag(node.cairn.blocks, root)
    expect(again).toMatchObject({ complete: true, blocks: 21, fetchedBlocks: 0 })
  })
})
