import { describe, expect, it } from 'vitest'
import * as dagCbor from '@ipld/dag-cbor'
import * as dagPb from '@ipld/dag-pb'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { MemoryBlockstore } from '../../../src/content/blockstore/memory-blockstore.ts'
import { createBlocks } from '../../../src/content/blocks.ts'
import { memoryStoreLock } from '../../../src/content/blockstore/store-lock.ts'
import { createContentService } from '../../../src/content/content-service.ts'

function freshNode (): { node: ReturnType<typeof createContentService>, blockstore: MemoryBlockstore } {
  const blockstore = new MemoryBlockstore()
  return { node: createContentService({ blocks: createBlocks({ blockstore, lock: memoryStoreLock() }), blockstore }), blockstore }
}

async function putReference (blockstore: MemoryBlockstore, code: number, bytes: Uint8Array): Promise<CID> {
  const cid = CID.createV1(code, await sha256.digest(bytes))
  await blockstore.put(cid, bytes)
  return cid
}

describe('dag.put and dag.get', () => {
  it('stores DAG-JSON as DAG-CBOR under the reference CID and resolves paths across blocks', async () => {
    const { node } = freshNode()
    const leaf = await node.dagPut({ json: '{"n": 1.5, "deep": {"x": [10, 20]}}' })
    expect(leaf.cid).toBe(CID.createV1(0x71, await sha256.digest(dagCbor.encode({ n: 1.5, deep: { x: [10, 20] } }))).toString())
    const root = await node.dagPut({ json: `{"to": {"/": "${leaf.cid}"}}` })
    const resolved = await node.dagGet(`/ipfs/${root.cid}/to/deep/x/1`)
    expect(resolved).toMatchObject({ cid: leaf.cid, codec: 'dag-cbor', remainder: ['deep', 'x', '1'], json: '20' })
    expect(resolved.steps.map(s => s.segment)).toEqual(['', 'to', 'deep', 'x', '1'])
    const whole = await node.dagGet(root.cid)
    expect(whole.links).toEqual([{ path: 'to', cid: leaf.cid }])
  })

  it('walks DAG-PB by link name, like a UnixFS path', async () => {
    const { node, blockstore } = freshNode()
    const file = await putReference(blockstore, 0x55, new TextEncoder().encode('hello'))
    const dir = dagPb.encode(dagPb.prepare({ Data: new Uint8Array([8, 1]), Links: [{ Name: 'hello.txt', Hash: file, Tsize: 5 }] }))
    const dirCid = CID.createV0(await sha256.digest(dir))
    await blockstore.put(dirCid, dir)
    const resolved = await node.dagGet(`/ipfs/${dirCid}/hello.txt`)
    expect(resolved).toMatchObject({ cid: file.toString(), codec: 'raw', size: 5, json: '{"/":{"bytes":"aGVsbG8"}}' })
    const viaModel = await node.dagGet(`/ipfs/${dirCid}/Links/0/Name`)
    expect(viaModel.json).toBe('"hello.txt"')
  })

  it('stores raw blocks from a bytes form or a string, and rejects anything else', async () => {
    const { node } = freshNode()
    const fromBytes = await node.dagPut({ json: '{"/": {"bytes": "aGVsbG8"}}', codec: 'raw' })
    const fromString = await node.dagPut({ json: '"hello"', codec: 'raw' })
    expect(fromBytes.cid).toBe(fromString.cid)
    await expect(node.dagPut({ json: '{"a": 1}', codec: 'raw' })).rejects.toMatchObject({ name: 'DagJsonParseError' })
  })

  it('names what is missing', async () => {
    const { node } = freshNode()
    const { cid } = await node.dagPut({ json: '{"a": [1]}' })
    await expect(node.dagGet(`${cid}/b`)).rejects.toMatchObject({ name: 'PathNotFoundError' })
    await expect(node.dagGet(`${cid}/a/1`)).rejects.toMatchObject({ name: 'PathNotFoundError' })
    await expect(node.dagGet(`${cid}/a/01`)).rejects.toMatchObject({ name: 'PathNotFoundError' })
    await expect(node.dagGet('bafyreihdb57fdysx5h35urvxz64ros7zvywshber7id6t6c6fek37jgyfe')).rejects.toMatchObject({ name: 'NotFoundError' })
    await expect(node.dagGet('/ipns/example.com')).rejects.toMatchObject({ name: 'InvalidPathError' })
    await expect(node.dagPut({ json: '{"a": 1}', hash: 'md5' as 'blake3' })).rejects.toMatchObject({ name: 'DagJsonParseError' })
    await expect(node.dagPut({ json: '{"a": 1}', codec: 'cbor' as 'raw' })).rejects.toMatchObject({ name: 'UnknownCodecError' })
  })

  it('reports block and repo stats', async () => {
    const { node } = freshNode()
    const { cid, size } = await node.dagPut({ json: '{"a": 1}', hash: 'blake3' })
    expect(await node.blockStat(cid)).toEqual({ cid, size, codec: 'dag-cbor' })
    expect(await node.repoStat()).toEqual({ blocks: 1, bytes: size })
    expect(await node.blockGet(cid)).toEqual(dagCbor.encode({ a: 1 }))
  })
})
