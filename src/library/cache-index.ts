import type { CID } from 'multiformats/cid'
import { pinKey } from './pins.ts'

/** Content that was opened (a gateway request, a resolve, a fetch) and when, by its root. */
export interface CacheEntry {
  /** The root, as a CIDv1 string. */
  cid: string
  /** When it was last opened (ms since the epoch), to the nearest `TOUCH_INTERVAL_MS`. */
  lastUsed: number
}

/** Where the cache index is kept: IndexedDB in the app (`storage/`), memory in tests. */
export interface CacheIndexStore {
  put(entry: CacheEntry): Promise<void>
  delete(cid: string): Promise<void>
  list(): Promise<CacheEntry[]>
}

/** The cache index in memory: for tests. */
export class MemoryCacheIndexStore implements CacheIndexStore {
  private readonly entries = new Map<string, CacheEntry>()
  async put (entry: CacheEntry): Promise<void> { this.entries.set(entry.cid, { ...entry }) }
  async delete (cid: string): Promise<void> { this.entries.delete(cid) }
  async list (): Promise<CacheEntry[]> { return [...this.entries.values()].map(e => ({ ...e })) }
}

/** A root's last use is written at most this often: reads stay free of IndexedDB writes. */
export const TOUCH_INTERVAL_MS = 60_000

/**
 * Remembers which content was opened, per root and cheaply: a use is written to the store
 * only when the root's last recorded use is older than `TOUCH_INTERVAL_MS`, so reading a
 * file block by block costs no writes. What the Library lists as "recently viewed".
 */
export class CacheIndex {
  private readonly store: CacheIndexStore
  private readonly written = new Map<string, number>()
  private readonly now: () => number

  constructor (store: CacheIndexStore, now: () => number = () => Date.now()) {
    this.store = store
    this.now = now
  }

  /** Records that `root` was opened now (written at most once a minute per root). */
  async touch (root: CID): Promise<void> {
    const cid = pinKey(root)
    const now = this.now()
    if (now - (this.written.get(cid) ?? 0) < TOUCH_INTERVAL_MS) return
    this.written.set(cid, now)
    await this.store.put({ cid, lastUsed: now })
  }

  /** Forgets a root (it was removed). */
  async forget (root: CID): Promise<void> {
    const cid = pinKey(root)
    this.written.delete(cid)
    await this.store.delete(cid)
  }

  /** Every entry, most recently used first. */
  async list (): Promise<CacheEntry[]> {
    return (await this.store.list()).sort((a, b) => b.lastUsed - a.lastUsed)
  }
}
