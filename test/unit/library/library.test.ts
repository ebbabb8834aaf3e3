import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { MemoryBlockstore } from '../../../src/content/blockstore/memory-blockstore.ts'
import { memoryStoreLock } from '../../../src/content/blockstore/store-lock.ts'
import { NotPinnedError, PinConflictError } from '../../../src/library/errors.ts'
import { Library } from '../../../src/library/library.ts'
import { MemoryCacheIndexStore } from '../../../src/library/cache-index.ts'
import { MemoryPinStore } from '../../../src/library/pins.ts'

/** Stores a DAG-CBOR node and returns its CID. */
async function node (store: MemoryBlockstore, value: unknown): Promise<CID> {
  const bytes = dagCbor.encode(value)
  const cid = CID.createV1(dagCbor.code, await sha256.digest(bytes))
  await store.put(cid, bytes)
  return cid
}

async function stored (store: MemoryBlockstore): Promise<Set<string>> {
  const out = new Set<string>()
  for await (const { cid } of store.getAll()) out.add(cid.toString())
  return out
}

function setup (): { store: MemoryBlockstore, library: Library, pins: MemoryPinStore } {
  const store = new MemoryBlockstore()
  const pins = new MemoryPinStore()
  return { store, pins, library: new Library({ blockstore: store, pins, lock: memoryStoreLock(), cache: new MemoryCacheIndexStore() }) }
}

/** Every CID reachable from `root` by decoding DAG-CBOR in JS: the oracle for the WASM walk. */
async function reachable (store: MemoryBlockstore, root: CID, into: Set<string>): Promise<void> {
  if (into.has(root.toString())) return
  into.add(root.toString())
  const value = dagCbor.decode(await store.getBytes(root))
  const links: CID[] = []
  const visit = (v: unknown): void => {
    const asCid = CID.asCID(v)
    if (asCid !== null) { links.push(asCid); return }
    if (Array.isArray(v)) v.forEach(visit)
    else if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array)) Object.values(v).forEach(visit)
  }
  visit(value)
  for (const link of links) await reachable(store, link, into)
}

describe('Library: pins and garbage collection', () => {
  it('keeps a recursive pin\'s DAG, a direct pin\'s one block, and nothing else', async () => {
    const { store, library } = setup()
    const leaf = await node(store, { leaf: 1 })
    const mid = await node(store, { mid: leaf })
    const root = await node(store, { root: mid, again: leaf })
    const lone = await node(store, { lone: true })
    const directRoot = await node(store, { child: await node(store, { child: 'dropped' }) })
    await library.pin(root, { name: 'tree' })
    await library.pin(directRoot, { type: 'direct' })
    const summary = await library.gc()
    expect(await stored(store)).toEqual(new Set([leaf, mid, root, directRoot].map(String)))
    expect(summary).toMatchObject({ removedBlocks: 2, keptBlocks: 4, pins: 2 })
    const usage = await library.usage()
    expect(usage).toMatchObject({ pinnedBlocks: 4, cachedBlocks: 0, cachedBytes: 0 })
    expect(usage.pinnedBytes).toBe((await store.stat()).bytes)
    expect(await store.has(lone)).toBe(false)
  })

  it('reports the sweep from its start, before its first page is swept', async () => {
    const { store, library } = setup()
    await library.pin(await node(store, { kept: true }))
    for (let i = 0; i < 5; i++) await node(store, { loose: i })
    const seen: Array<{ phase: string, done: number, removedBlocks: number }> = []
    await library.gc({ onProgress: p => seen.push({ phase: p.phase, done: p.done, removedBlocks: p.removedBlocks }) })
    expect(seen.find(p => p.phase === 'sweep')).toEqual({ phase: 'sweep', done: 0, removedBlocks: 0 })
    expect(seen.at(-1)).toEqual({ phase: 'sweep', done: 6, removedBlocks: 5 })
  })

  it('keeps the DAGs under the kept roots (room histories) as if pinned, also when removing opened content', async () => {
    const store = new MemoryBlockstore()
    const older = await node(store, { text: 'first' })
    const head = await node(store, { text: 'second', prev: [older] })
    await node(store, { loose: true })
    const library = new Library({ blockstore: store, pins: new MemoryPinStore(), lock: memoryStoreLock(), cache: new MemoryCacheIndexStore(), kept: async () => [head] })
    expect(await library.gc()).toMatchObject({ removedBlocks: 1, keptBlocks: 2 })
    expect(await stored(store)).toEqual(new Set([older, head].map(String)))
    await library.touch(older)
    await library.remove(older)
    expect(await store.has(older)).toBe(true)
  })

  it('unpinning one of two roots that share blocks keeps the shared ones', async () => {
    const { store, library } = setup()
    const shared = await node(store, { shared: true })
    const a = await node(store, { a: shared, own: await node(store, { onlyA: 1 }) })
    const b = await node(store, { b: shared })
    await library.pin(a)
    await library.pin(b)
    await library.unpin(a)
    await library.gc()
    expect(await stored(store)).toEqual(new Set([shared, b].map(String)))
  })

  it('keeps exactly the reachable set of many random overlapping DAGs (checked by decoding in JS)', async () => {
    const { store, library } = setup()
    let seed = 7
    const random = (n: number): number => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % n }
    const all: CID[] = []
    for (let i = 0; i < 400; i++) {
      const links = Array.from({ length: random(4) }, () => all[random(all.length)]).filter(l => l !== undefined)
      all.push(await node(store, { i, links }))
    }
    const roots = Array.from({ length: 12 }, () => all[random(all.length)])
    const expected = new Set<string>()
    for (const root of roots) {
      await library.pin(root)
      await reachable(store, root, expected)
    }
    await library.gc()
    expect(await stored(store)).toEqual(expected)
  })

  it('honours a pin added while a collection runs', async () => {
    const { store, library } = setup()
    const keepMe = await node(store, { kept: await node(store, { child: 'kept too' }) })
    for (let i = 0; i < 3000; i++) await node(store, { filler: i })
    let pinned: Promise<unknown> | undefined
    const pages = store.multihashes.bind(store)
    store.multihashes = async function * (options) {
      for await (const page of pages(options)) {
        // The user pins while the first pages are being swept.
        pinned ??= library.pin(keepMe, { name: 'late' })
        await new Promise(resolve => setTimeout(resolve, 1))
        yield page
      }
    }
    const summary = await library.gc()
    await pinned
    expect((await library.status(keepMe)).complete).toBe(true)
    expect(summary.removedBlocks).toBe(3000)
  })

  it('follows Kubo\'s rules: recursive over direct, update, errors by name, incomplete pins', async () => {
    const { store, library } = setup()
    const child = await node(store, { child: 1 })
    const root = await node(store, { root: child })
    await library.pin(root, { type: 'direct', name: 'first' })
    expect((await library.pin(root)).type).toBe('recursive')
    await expect(library.pin(root, { type: 'direct' })).rejects.toThrow(PinConflictError)
    expect((await library.list()).map(p => p.name)).toEqual(['first'])
    const next = await node(store, { root: child, v: 2 })
    const moved = await library.update(root, next)
    expect(moved).toMatchObject({ cid: next.toString(), name: 'first', type: 'recursive' })
    await expect(library.unpin(root)).rejects.toThrow(NotPinnedError)
    // A DAG with a missing block is pinned but incomplete.
    const missing = CID.createV1(dagCbor.code, await sha256.digest(new Uint8Array([1, 2, 3])))
    const partial = await node(store, { missing })
    await library.pin(partial)
    expect(await library.status(partial)).toMatchObject({ complete: false, missing: 1, blocks: 1 })
    expect(await library.status(next)).toMatchObject({ complete: true, missing: 0, blocks: 2 })
  })
})
