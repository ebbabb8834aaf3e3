import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { GroupCommit } from '../../../../src/content/blockstore/group-commit.ts'
import { MemoryBlockstore } from '../../../../src/content/blockstore/memory-blockstore.ts'
import { memoryStoreLock } from '../../../../src/content/blockstore/store-lock.ts'

async function rawBlock (text: string): Promise<{ cid: CID, bytes: Uint8Array }> {
  const bytes = new TextEncoder().encode(text)
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
}

/** A memory blockstore that records the size of every `putMany` batch. */
class CountingBlockstore extends MemoryBlockstore {
  readonly batches: number[] = []
  override async * putMany (source: Parameters<MemoryBlockstore['putMany']>[0], options?: Parameters<MemoryBlockstore['putMany']>[1]): ReturnType<MemoryBlockstore['putMany']> {
    const pairs = []
    for await (const pair of source) pairs.push(pair)
    this.batches.push(pairs.length)
    yield * super.putMany(pairs, options)
  }
}

describe('GroupCommit', () => {
  it('writes puts that arrive during a write together in the next one', async () => {
    const store = new CountingBlockstore()
    const commit = new GroupCommit(store, memoryStoreLock())
    const blocks = await Promise.all(Array.from({ length: 10 }, async (_, i) => rawBlock(`block ${i}`)))
    await Promise.all(blocks.map(async b => commit.put(b.cid, b.bytes)))
    expect(store.batches[0]).toBe(1)
    expect(store.batches.length).toBeLessThan(blocks.length)
    expect(store.batches.reduce((a, b) => a + b, 0)).toBe(10)
    expect((await store.stat()).blocks).toBe(10)
  })

  it('fails the callers of a failed batch and goes on with the next', async () => {
    const store = new MemoryBlockstore()
    const commit = new GroupCommit(store, memoryStoreLock())
    const good = await rawBlock('good')
    const forged = { cid: good.cid, bytes: new TextEncoder().encode('forged') }
    const first = commit.put(good.cid, good.bytes)
    const bad = commit.put(forged.cid, forged.bytes)
    await first
    await expect(bad).rejects.toThrow(/do not match/)
    const later = await rawBlock('later')
    await commit.put(later.cid, later.bytes)
    expect((await store.stat()).blocks).toBe(2)
  })
})
