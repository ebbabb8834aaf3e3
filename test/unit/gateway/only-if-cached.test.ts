import { describe, expect, it } from 'vitest'
import * as dagPb from '@ipld/dag-pb'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { UnixFS } from 'ipfs-unixfs'
import { handleGatewayRequest } from '../../../src/gateway/gateway.ts'
import type { BlockSourceOptions } from '../../../src/gateway/block-source.ts'

/** A directory holding one file, as blocks by CID. */
async function site (): Promise<{ root: CID, blocks: Map<string, Uint8Array> }> {
  const file = new TextEncoder().encode('hello\n')
  const fileCid = CID.createV1(0x55, await sha256.digest(file))
  const dir = dagPb.encode(dagPb.prepare({ Data: new UnixFS({ type: 'directory' }).marshal(), Links: [{ Name: 'hello.txt', Hash: fileCid, Tsize: file.length }] }))
  const root = CID.createV1(dagPb.code, await sha256.digest(dir))
  return { root, blocks: new Map<string, Uint8Array>([[root.toString(), dir], [fileCid.toString(), file]]) }
}

describe('only-if-cached reaches the block source', () => {
  it('every block read for an only-if-cached request asks for local blocks only', async () => {
    const { root, blocks } = await site()
    const asked: Array<BlockSourceOptions | undefined> = []
    const source = async (cid: CID, options?: BlockSourceOptions): Promise<Uint8Array> => {
      asked.push(options)
      return blocks.get(cid.toString()) as Uint8Array
    }
    const cached = await handleGatewayRequest(new Request(`http://localhost/ipfs/${root}/hello.txt`, { headers: { 'Cache-Control': 'only-if-cached' } }), source)
    expect(await cached.text()).toBe('hello\n')
    expect(asked.length).toBeGreaterThan(1)
    expect(asked.every(o => o?.offline === true)).toBe(true)
    asked.length = 0
    await (await handleGatewayRequest(new Request(`http://localhost/ipfs/${root}/hello.txt`), source)).text()
    expect(asked.every(o => o?.offline !== true)).toBe(true)
  })
})
