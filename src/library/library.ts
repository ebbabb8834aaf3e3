import { logger } from '@libp2p/logger'
import { CID } from 'multiformats/cid'
import { fromString } from 'uint8arrays/from-string'
import type { BaseBlockstore, BlockstoreStat } from '../content/blockstore/base-blockstore.ts'
import type { StoreLock } from '../content/blockstore/store-lock.ts'
import { CacheIndex, type CacheEntry, type CacheIndexStore } from './cache-index.ts'
import { NotPinnedError, PinConflictError } from './errors.ts'
import { markKey, markPin, newMarks, type MarkResult } from './mark.ts'
import { pinKey, pinRoot, type PinOrigin, type PinRecord, type PinStore, type PinType } from './pins.ts'

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

  constructor ({ blockstore, pins, lock, cache }: LibraryComponents) {
    this.blockstore = blockstore
    this.pins = pins
    this.lock = lock
    this.cache = new CacheIndex(cache)
  }

  /** Records that content was opened (cheap: at most one write a minute per root). */
  async touch (root: CID): Promise<void> {
    await this.cache.touch(root)
  }

  /** Content opened that is not pinned, most recently used first. */
  async recent (): Promise<CacheEntry[]> {
    const pinned = new Set((await this.pins.list()).map(p => p.cid))
    return (await this.cache.list()).filter(entry => !pinned.has(entry.cid))
  }

  /** What of the DAG under `root` is stored (blocks, bytes, missing). */
  async stat (root: CID): Promise<MarkResult & { complete: boolean }> {
    const found = await markPin(this.blockstore, root, true, newMarks(), { countBytes: true })
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
      const keep = newMarks()
      for (const pin of await this.pins.list()) await markPin(this.blockstore, pinRoot(pin), pin.type === 'recursive', keep)
      for (const entry of await this.cache.list()) {
        if (entry.cid !== key) await markPin(this.blockstore, CID.parse(entry.cid), true, keep)
      }
      const own = newMarks()
      await markPin(this.blockstore, root, true, own)
      const garbage = [...own.kept].filter(k => !keep.kept.has(k)).map(k => fromString(k, 'base64'))
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
  async pin (cid: CID, options: { type?: PinType, name?: string, origin?: PinOrigin } = {}): Promise<PinRecord> {
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
    const record = await this.pin(to, { type: 'recursive', name: old.name, origin: old.origin })
    if (options.unpin !== false && record.cid !== old.cid) await this.unpin(from)
    return record
  }

  /** Every pin, newest first. */
  async list (): Promise<PinRecord[]> {
    return (await this.pins.list()).sort((a, b) => b.pinnedAt - a.pinnedAt)
  }

  /** A pin and what is stored of its DAG (complete when no block is missing). */
  async status (cid: CID): Promise<PinStatus> {
    const record = await this.pins.get(pinKey(cid))
    if (record === undefined) throw new NotPinnedError(`${pinKey(cid)} is not pinned`)
    const found = await markPin(this.blockstore, pinRoot(record), record.type === 'recursive', newMarks(), { countBytes: true })
    return { ...record, ...found, complete: found.missing === 0 }
  }

  /** Deletes every block no pin reaches; see the class comment for what it guarantees. */
  async gc (options: { signal?: AbortSignal, onProgress?: (progress: GcProgress) => void } = {}): Promise<GcSummary> {
    return this.lock.exclusive(async () => {
      const started = Date.now()
      const marks = newMarks()
      const marked = new Set<string>()
      const progress: GcProgress = { phase: 'mark', done: 0, removedBlocks: 0, removedBytes: 0 }
      const kept = { blocks: 0 }
      let seenVersion = -1
      const catchUp = async (): Promise<void> => {
        const todo: Array<{ key: string, root: CID, recursive: boolean }> = [...this.pinning].map(([key, p]) => ({ key, ...p }))
        if (seenVersion !== this.version) {
          seenVersion = this.version
          for (const record of await this.pins.list()) todo.push({ key: record.cid, root: pinRoot(record), recursive: record.type === 'recursive' })
        }
        for (const pin of todo) {
          const id = `${pin.recursive ? 'r' : 'd'}${pin.key}`
          if (marked.has(id)) continue
          options.signal?.throwIfAborted()
          const found = await markPin(this.blockstore, pin.root, pin.recursive, marks)
          kept.blocks += found.blocks
          marked.add(id)
          progress.done = marked.size
          options.onProgress?.({ ...progress })
        }
      }
      await catchUp()
      progress.phase = 'sweep'
      progress.done = 0
      for await (const page of this.blockstore.multihashes(options)) {
        // Pins written since the last batch are marked before anything more is deleted.
        await catchUp()
        const garbage = page.filter(multihash => !marks.kept.has(markKey(multihash)))
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
        pins: new Set([...marked].map(id => id.slice(1))).size,
        ms: Date.now() - started
      }
      log('collected %d blocks (%d bytes), kept %d', summary.removedBlocks, summary.removedBytes, summary.keptBlocks)
      return summary
    })
  }
}
