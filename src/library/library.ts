import { logger } from '@libp2p/logger'
import { CID } from 'multiformats/cid'
import type { BaseBlockstore, BlockstoreStat } from '../content/blockstore/base-blockstore.ts'
import type { StoreLock } from '../content/blockstore/store-lock.ts'
import { CacheIndex, type CacheEntry, type CacheIndexStore } from './cache-index.ts'
import { NotPinnedError, PinConflictError } from './errors.ts'
import { Marks, markPin, type MarkResult } from './mark.ts'
import { pinKey, pinRoot, type FollowedName, type PinOrigin, type PinRecord, type PinStore, type PinType } from './pins.ts'

const log = logger('cairn:library')

/** What one collection did. */
export interface GcSummary {
  /** Blocks and bytes deleted. */
  removedBlocks: number
  removedBytes: number
  /** Blocks kept because a pin reaches them. */
  keptBlocks: number
  keptBytes: number
  pins: number
  ms: number
}

/** Where a collection is. */
export interface GcProgress {
  phase: 'mark' | 'sweep'
  /** Pins marked so far (mark), blocks looked at so far (sweep). */
  done: number
  removedBlocks: number
  removedBytes: number
}

/** Options of a collection or an eviction. */
export interface CollectOptions {
  signal?: AbortSignal
  onProgress?: (progress: GcProgress) => void
}

/** Stored blocks, split into what pins keep and the rest. */
export interface RepoUsage {
  pinnedBlocks: number
  pinnedBytes: number
  /** Opened content and blocks nothing reaches: what a collection or eviction may remove. */
  cachedBlocks: number
  cachedBytes: number
}

/** What an eviction did. */
export interface EvictionSummary {
  removedBlocks: number
  removedBytes: number
  /** Opened content removed, least recently used first. */
  evicted: string[]
  /** Bytes stored afterwards. */
  storedBytes: number
}

/** A pin with what is stored of its DAG. */
export interface PinStatus extends PinRecord, MarkResult {
  complete: boolean
}

/** What the library works on. */
export interface LibraryComponents {
  blockstore: BaseBlockstore
  pins: PinStore
  /** Garbage collection holds it exclusively: no write runs during a collection. */
  lock: StoreLock
  /** Where the index of opened content is kept. */
  cache: CacheIndexStore
  /** The clock of "last used" (tests pass their own). */
  now?: () => number
  /**
   * Roots kept as if pinned recursively without being pins: the heads of the joined rooms'
   * histories, so a collection never takes a room's messages.
   */
  kept?: () => Promise<CID[]>
}

/**
 * What the node keeps: pins with Kubo's meaning (`recursive`: the whole DAG, `direct`: one
 * block), and garbage collection, which deletes every block no pin reaches. A collection
 * holds the store lock exclusively, so no import or fetch writes meanwhile; a pin being
 * added while it runs is marked before the next batch is swept (pins are written without
 * the lock and announced here first), so the blocks it reaches that have not been swept yet
 * are kept. Deleting only unreachable blocks, a collection stopped half way (the browser
 * stopped the worker) leaves every pinned DAG whole.
 */
export class Library {
  private readonly blockstore: BaseBlockstore
  private readonly pins: PinStore
  private readonly lock: StoreLock
  private readonly cache: CacheIndex
  /** Pins being written now, by key: a running collection marks them too. */
  private readonly pinning = new Map<string, { root: CID, recursive: boolean }>()
  /** Bumped each time a pin is written, so a running collection knows to look again. */
  private version = 0
  private readonly kept: () => Promise<CID[]>

  constructor ({ blockstore, pins, lock, cache, now, kept }: LibraryComponents) {
    this.kept = kept ?? (async () => [])
    this.blockstore = blockstore
    this.pins = pins
    this.lock = lock
    this.cache = new CacheIndex(cache, now)
  }

  /** Records that content was opened (cheap: at most one write a minute per root). */
  async touch (root: CID): Promise<void> {
    await this.cache.touch(root)
  }

  /** Content opened that is not pinned, most recently used first. */
  async recent (): Promise<CacheEntry[]> {
    // One lookup per entry, not a read of every pin: a library may hold thousands.
    const entries = await this.cache.list()
    const pinned = await Promise.all(entries.map(async entry => await this.pins.get(entry.cid) !== undefined))
    return entries.filter((_, i) => !pinned[i])
  }

  /** What of the DAG under `root` is stored (blocks, bytes, missing). */
  async stat (root: CID): Promise<MarkResult & { complete: boolean }> {
    const found = await markPin(this.blockstore, root, true, new Marks(), { countBytes: true })
    return { ...found, complete: found.missing === 0 }
  }

  /**
   * Removes one piece of opened content: the blocks of its DAG that no pin and no other
   * opened content reaches are deleted (so shared blocks stay), and it leaves the index.
   * Pinned content is refused (`PinConflictError`: unpin it first).
   */
  async remove (root: CID): Promise<BlockstoreStat> {
    const key = pinKey(root)
    if (await this.pins.get(key) !== undefined) throw new PinConflictError(`${key} is pinned; unpin it first`)
    return this.lock.exclusive(async () => {
      const keep = new Marks()
      for (const pin of await this.pins.list()) await markPin(this.blockstore, pinRoot(pin), pin.type === 'recursive', keep)
      for (const root of await this.kept()) await markPin(this.blockstore, root, true, keep)
      for (const entry of await this.cache.list()) {
        if (entry.cid !== key) await markPin(this.blockstore, CID.parse(entry.cid), true, keep)
      }
      const own = new Marks()
      await markPin(this.blockstore, root, true, own)
      const garbage = [...own.kept()].map(entry => own.multihash(entry)).filter(multihash => !keep.isKept(multihash))
      const freed = await this.blockstore.deleteMultihashes(garbage)
      await this.cache.forget(root)
      return freed
    })
  }

  /**
   * Pins `cid`. Pinning again keeps the first name and origin unless new ones are given; a
   * direct pin becomes recursive when pinned recursively; a recursive pin cannot be made
   * direct (`PinConflictError`, as in Kubo: unpin it first).
   */
  async pin (cid: CID, options: { type?: PinType, name?: string, origin?: PinOrigin, follows?: FollowedName } = {}): Promise<PinRecord> {
    const key = pinKey(cid)
    const type = options.type ?? 'recursive'
    this.pinning.set(key, { root: cid, recursive: type === 'recursive' })
    try {
      const existing = await this.pins.get(key)
      if (existing?.type === 'recursive' && type === 'direct') throw new PinConflictError(`${key} is pinned recursively; unpin it before pinning it directly`)
      const record: PinRecord = {
        cid: key,
        type,
        name: options.name ?? existing?.name ?? key,
        origin: existing?.origin ?? options.origin ?? 'pinned',
        pinnedAt: existing?.pinnedAt ?? Date.now()
      }
      const follows = options.follows ?? existing?.follows
      if (follows !== undefined) record.follows = follows
      await this.pins.put(record)
      this.version++
      return record
    } finally {
      this.pinning.delete(key)
    }
  }

  /** Removes a pin (its blocks stay until a collection); `NotPinnedError` if there is none. */
  async unpin (cid: CID): Promise<void> {
    const key = pinKey(cid)
    if (await this.pins.get(key) === undefined) throw new NotPinnedError(`${key} is not pinned`)
    await this.pins.delete(key)
    this.version++
  }

  /**
   * Moves a recursive pin from `from` to `to` (Kubo's `pin update`): `to` is pinned with the
   * old name first, then `from` unpinned, so no moment has neither.
   */
  async update (from: CID, to: CID, options: { unpin?: boolean } = {}): Promise<PinRecord> {
    const old = await this.pins.get(pinKey(from))
    if (old === undefined) throw new NotPinnedError(`${pinKey(from)} is not pinned`)
    if (old.type !== 'recursive') throw new PinConflictError(`${old.cid} is pinned directly; only recursive pins are updated`)
    const record = await this.pin(to, { type: 'recursive', name: old.name, origin: old.origin, ...(old.follows === undefined ? {} : { follows: old.follows }) })
    if (options.unpin !== false && record.cid !== old.cid) await this.unpin(from)
    return record
  }

  /** Every pin, newest first. */
  async list (): Promise<PinRecord[]> {
    return (await this.pins.list()).sort((a, b) => b.pinnedAt - a.pinnedAt)
  }

  /** The newest `limit` pins and how many there are: the Library's first page. */
  async newest (limit: number): Promise<{ pins: PinRecord[], total: number }> {
    return this.pins.newest(limit)
  }

  /**
   * How the stored blocks divide: those a pin keeps and the rest (opened content and
   * anything unreachable). Reads every pinned block, so it is asked for, not shown always.
   */
  async usage (): Promise<RepoUsage> {
    const marks = new Marks()
    let pinnedBlocks = 0
    let pinnedBytes = 0
    for (const pin of await this.pins.list()) {
      const found = await markPin(this.blockstore, pinRoot(pin), pin.type === 'recursive', marks, { countBytes: true })
      pinnedBlocks += found.blocks
      pinnedBytes += found.bytes
    }
    const total = await this.blockstore.stat()
    return { pinnedBlocks, pinnedBytes, cachedBlocks: total.blocks - pinnedBlocks, cachedBytes: total.bytes - pinnedBytes }
  }

  /** A pin and what is stored of its DAG (complete when no block is missing). */
  async status (cid: CID): Promise<PinStatus> {
    const record = await this.pins.get(pinKey(cid))
    if (record === undefined) throw new NotPinnedError(`${pinKey(cid)} is not pinned`)
    const found = await markPin(this.blockstore, pinRoot(record), record.type === 'recursive', new Marks(), { countBytes: true })
    return { ...record, ...found, complete: found.missing === 0 }
  }

  /** Deletes every block no pin reaches; see the class comment for what it guarantees. */
  async gc (options: CollectOptions = {}): Promise<GcSummary> {
    return this.lock.exclusive(async () => (await this.collect(options)).summary)
  }

  /**
   * Keeps stored blocks within `budgetBytes`: when they are over it, removes first what
   * neither a pin nor opened content reaches, then opened content, least recently used
   * first, until they fit. Pinned content is never removed, even when it alone is over.
   */
  async evict (budgetBytes: number, options: CollectOptions = {}): Promise<EvictionSummary> {
    return this.lock.exclusive(async () => {
      const before = await this.blockstore.stat()
      if (before.bytes <= budgetBytes) return { removedBlocks: 0, removedBytes: 0, evicted: [], storedBytes: before.bytes }
      // Opened content, newest first: each root's walk records what it adds beyond the pins
      // and everything opened more recently, which is what removing it frees.
      const opened: Array<{ root: CID, entries: number[] }> = []
      const entries = await this.recent()
      const { summary, marks, catchUp } = await this.collect(options, async marks => {
        for (const entry of entries) {
          const own: number[] = []
          await markPin(this.blockstore, CID.parse(entry.cid), true, marks, { onKept: kept => own.push(kept) })
          opened.push({ root: CID.parse(entry.cid), entries: own })
        }
      })
      let stored = (await this.blockstore.stat()).bytes
      const result: EvictionSummary = { removedBlocks: summary.removedBlocks, removedBytes: summary.removedBytes, evicted: [], storedBytes: stored }
      const pinnedKeep = new Marks()
      while (stored > budgetBytes && opened.length > 0) {
        const oldest = opened.pop() as { root: CID, entries: number[] }
        // Something pinned meanwhile keeps its blocks (and opened content that got pinned, all).
        await catchUp(pinnedKeep)
        const garbage = oldest.entries.map(entry => marks.multihash(entry)).filter(multihash => !pinnedKeep.isKept(multihash))
        const freed = await this.blockstore.deleteMultihashes(garbage)
        await this.cache.forget(oldest.root)
        result.evicted.push(oldest.root.toString())
        result.removedBlocks += freed.blocks
        result.removedBytes += freed.bytes
        stored -= freed.bytes
      }
      result.storedBytes = stored
      log('evicted %d opened roots, %d blocks (%d bytes); %d bytes stored', result.evicted.length, result.removedBlocks, result.removedBytes, stored)
      return result
    })
  }

  /**
   * One collection, the store lock held by the caller: marks every pin (and what `markMore`
   * adds), then sweeps the rest, marking pins written meanwhile before each page. Returns the
   * marks and the catch-up step, for an eviction that goes on deleting.
   */
  private async collect (options: CollectOptions, markMore?: (marks: Marks) => Promise<void>): Promise<{ summary: GcSummary, marks: Marks, catchUp: (into?: Marks) => Promise<void> }> {
    const started = Date.now()
    const marks = new Marks()
    const marked = new Map<Marks, Set<string>>()
    const progress: GcProgress = { phase: 'mark', done: 0, removedBlocks: 0, removedBytes: 0 }
    const kept = { blocks: 0 }
    const seenVersion = new Map<Marks, number>()
    const catchUp = async (into: Marks = marks): Promise<void> => {
      const done = marked.get(into) ?? new Set<string>()
      marked.set(into, done)
      const todo: Array<{ key: string, root: CID, recursive: boolean }> = [...this.pinning].map(([key, p]) => ({ key, ...p }))
      if (seenVersion.get(into) !== this.version) {
        seenVersion.set(into, this.version)
        for (const record of await this.pins.list()) todo.push({ key: record.cid, root: pinRoot(record), recursive: record.type === 'recursive' })
      }
      for (const pin of todo) {
        const id = `${pin.recursive ? 'r' : 'd'}${pin.key}`
        if (done.has(id)) continue
        options.signal?.throwIfAborted()
        const found = await markPin(this.blockstore, pin.root, pin.recursive, into)
        if (into === marks) kept.blocks += found.blocks
        done.add(id)
        if (into === marks) {
          progress.done = done.size
          options.onProgress?.({ ...progress })
        }
      }
    }
    await catchUp()
    // Room histories: kept like pins (no write can add a head while the lock is held).
    for (const root of await this.kept()) kept.blocks += (await markPin(this.blockstore, root, true, marks)).blocks
    if (markMore !== undefined) {
      const before = marks.keptCount
      await markMore(marks)
      kept.blocks += marks.keptCount - before
    }
    progress.phase = 'sweep'
    progress.done = 0
    // The sweep shows from its start: its first page can take seconds.
    options.onProgress?.({ ...progress })
    for await (const page of this.blockstore.multihashes(options)) {
      // Pins written since the last batch are marked before anything more is deleted.
      await catchUp()
      const garbage = page.filter(multihash => !marks.isKept(multihash))
      const freed = garbage.length > 0 ? await this.blockstore.deleteMultihashes(garbage) : { blocks: 0, bytes: 0 }
      progress.done += page.length
      progress.removedBlocks += freed.blocks
      progress.removedBytes += freed.bytes
      options.onProgress?.({ ...progress })
    }
    const summary: GcSummary = {
      removedBlocks: progress.removedBlocks,
      removedBytes: progress.removedBytes,
      keptBlocks: kept.blocks,
      // What is left is what is kept: the store's own totals say how much.
      keptBytes: (await this.blockstore.stat()).bytes,
      pins: new Set([...(marked.get(marks) ?? [])].map(id => id.slice(1))).size,
      ms: Date.now() - started
    }
    log('collected %d blocks (%d bytes), kept %d (marks: %d bytes)', summary.removedBlocks, summary.removedBytes, summary.keptBlocks, marks.byteLength)
    return { summary, marks, catchUp }
  }
}
