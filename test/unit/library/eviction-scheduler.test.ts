import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { MemoryBlockstore } from '../../../src/content/blockstore/memory-blockstore.ts'
import { memoryStoreLock } from '../../../src/content/blockstore/store-lock.ts'
import { MemoryCacheIndexStore, TOUCH_INTERVAL_MS } from '../../../src/library/cache-index.ts'
import { EvictionScheduler } from '../../../src/library/eviction-scheduler.ts'
import { Library } from '../../../src/library/library.ts'
import { MemoryPinStore } from '../../../src/library/pins.ts'

describe('EvictionScheduler', () => {
  it('waits for writes to pause, then evicts the least recently opened content down to the budget, once', async () => {
    let now = 1_000_000
    const blockstore = new MemoryBlockstore()
    const library = new Library({ blockstore, pins: new MemoryPinStore(), lock: memoryStoreLock(), cache: new MemoryCacheIndexStore(), now: () => now })
    const roots: CID[] = []
    for (let i = 0; i < 4; i++) {
      const bytes = dagCbor.encode({ i, pad: new Uint8Array(1000) })
      const cid = CID.createV1(dagCbor.code, await sha256.digest(bytes))
      await blockstore.put(cid, bytes)
      await library.touch(cid)
      now += 2 * TOUCH_INTERVAL_MS
      roots.push(cid)
    }
    const budget = (await blockstore.stat()).bytes - 1500
    let evictions = 0
    const evict = library.evict.bind(library)
    library.evict = async (b, o) => { evictions++; return evict(b, o) }
    const scheduler = new EvictionScheduler({ library, stored: async () => (await blockstore.stat()).bytes, budget: async () => budget, quietMs: 20 })
    for (let i = 0; i < 5; i++) scheduler.written()
    await new Promise(resolve => setTimeout(resolve, 60))
    await scheduler.check()
    expect(evictions).toBe(1)
    expect(await blockstore.has(roots[0])).toBe(false)
    expect(await blockstore.has(roots[1])).toBe(false)
    expect(await blockstore.has(roots[2])).toBe(true)
    expect((await blockstore.stat()).bytes).toBeLessThanOrEqual(budget)
    // Under budget now: a check evicts nothing more.
    await scheduler.check()
    expect(evictions).toBe(1)
  })
})
