import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { MemoryBlockstore } from '../../../src/content/blockstore/memory-blockstore.ts'
import { memoryStoreLock } from '../../../src/content/blockstore/store-lock.ts'
import { CacheIndex, MemoryCacheIndexStore, TOUCH_INTERVAL_MS, type CacheEntry } from '../../../src/library/cache-index.ts'
import { PinConflictError } from '../../../src/library/errors.ts'
import { Library } from '../../../src/library/library.ts'
import { MemoryPinStore } from '../../../src/library/pins.ts'

async function node (store: MemoryBlockstore, value: unknown): Promise<CID> {
  const bytes = dagCbor.encode(value)
  const cid = CID.createV1(dagCbor.code, await sha256.digest(bytes))
  await store.put(cid, bytes)
  return cid
}

describe('the cache index ("recently viewed")', () => {
  it('writes a root\'s use at most once a minute, lists the most recent first, and keys CIDv0 and v1 as one', async () => {
    let now = 1_000_000
    let writes = 0
    const store = new MemoryCacheIndexStore()
    const counting = { ...store, put: async (e: CacheEntry) => { writes++; await store.put(e) }, delete: store.delete.bind(store), list: store.list.bind(store) }
    const index = new CacheIndex(counting, () => now)
    const v0 = CID.parse('QmXoypizjW3WknFiJnKLwHCnL72vedxjQkDDP1mXWo6uco')
    const other = CID.parse('bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku')
    for (let i = 0; i < 50; i++) await index.touch(v0)
    await index.touch(v0.toV1())
    expect(writes).toBe(1)
    now += 1000
    await index.touch(other)
    now += TOUCH_INTERVAL_MS
    await index.touch(v0)
    expect(writes).toBe(3)
    expect((await index.list()).map(e => e.cid)).toEqual([v0.toV1().toString(), other.toString()])
  })

  it('lists only what is not pinned; removing one keeps the blocks a pin or other opened content shares', async () => {
    const blockstore = new MemoryBlockstore()
    const library = new Library({ blockstore, pins: new MemoryPinStore(), lock: memoryStoreLock(), cache: new MemoryCacheIndexStore() })
    const shared = await node(blockstore, { shared: 1 })
    const pinnedShared = await node(blockstore, { pinnedShared: 1 })
    const own = await node(blockstore, { own: 1 })
    const opened = await node(blockstore, { shared, pinnedShared, own })
    const otherOpened = await node(blockstore, { shared })
    const pinned = await node(blockstore, { pinnedShared })
    await library.pin(pinned)
    for (const root of [opened, otherOpened, pinned]) await library.touch(root)
    expect((await library.recent()).map(e => e.cid).sort()).toEqual([opened, otherOpened].map(String).sort())
    expect(await library.stat(opened)).toMatchObject({ blocks: 4, missing: 0, complete: true })

    const freed = await library.remove(opened)
    expect(freed.blocks).toBe(2)
    expect(await blockstore.has(opened)).toBe(false)
    expect(await blockstore.has(own)).toBe(false)
    expect(await blockstore.has(shared)).toBe(true)
    expect(await blockstore.has(pinnedShared)).toBe(true)
    expect((await library.recent()).map(e => e.cid)).toEqual([otherOpened.toString()])
    await expect(library.remove(pinned)).rejects.toThrow(PinConflictError)
  })
})
