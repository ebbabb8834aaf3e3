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

describe('eviction under a budget', () => {
  it('removes orphans first, then opened content least recently used first, never pinned content', async () => {
    let now = 1_000_000
    const blockstore = new MemoryBlockstore()
    const library = new Library({ blockstore, pins: new MemoryPinStore(), lock: memoryStoreLock(), cache: new MemoryCacheIndexStore(), now: () => now })
    const kb = (label: string): Uint8Array => new TextEncoder().encode(label.padEnd(1000, '.'))
    const rawNode = async (label: string): Promise<CID> => node(blockstore, { data: kb(label) })
    const pinned = await node(blockstore, { a: await rawNode('pinned 1'), b: await rawNode('pinned 2') })
    await library.pin(pinned)
    const orphan = await rawNode('orphan')
    const opened: CID[] = []
    for (const label of ['oldest', 'middle', 'newest']) {
      const root = await node(blockstore, { x: await rawNode(`${label} 1`), y: await rawNode(`${label} 2`) })
      opened.push(root)
    }
    // Opened in order, a minute and more apart (touch writes at most once a minute per root).
    for (const root of opened) {
      await library.touch(root)
      now += 2 * TOUCH_INTERVAL_MS
    }
    const stat = await blockstore.stat()
    // Room for everything but about one opened DAG and the orphan.
    const budget = stat.bytes - 1000 - 2100
    const result = await library.evict(budget)
    expect(await blockstore.has(orphan)).toBe(false)
    expect(result.evicted).toEqual([opened[0].toString()])
    expect(await blockstore.has(opened[0])).toBe(false)
    expect(await blockstore.has(opened[1])).toBe(true)
    expect(result.storedBytes).toBeLessThanOrEqual(budget)
    // A budget below what the pins hold: every opened DAG goes, the pinned one stays whole.
    const tight = await library.evict(10)
    expect(tight.evicted).toEqual([opened[1].toString(), opened[2].toString()])
    expect((await library.status(pinned)).complete).toBe(true)
    expect((await library.recent())).toEqual([])
    // Under budget: nothing to do.
    expect(await library.evict(1e9)).toMatchObject({ removedBlocks: 0, evicted: [] })
  })
})
