import type { CID } from 'multiformats/cid'
import { flatText } from '../lib/flat-text.ts'
import type { SignedEntry } from './log-entry.ts'

/**
 * A room's history as a Merkle clock: the entries known, by CID. The heads are the entries
 * no known entry links to; a new message links them all. The display order is causal — an
 * entry after everything it links — with ties broken by timestamp, then CID, so every member
 * holding the same entries shows them in the same order, whatever order they arrived in.
 */
export class RoomLog {
  private readonly entries = new Map<string, SignedEntry>()
  /** CIDs some known entry links to, with how many known entries do. */
  private readonly linked = new Map<string, number>()
  /** Known entries nothing known links to, kept as entries come (a send must not sort the log). */
  private readonly headKeys = new Set<string>()
  /** The display order, kept as entries come while that is exact (see `insert`); undefined: sort again. */
  private order: SignedEntry[] | undefined

  /** How many entries are known. */
  get size (): number {
    return this.entries.size
  }

  has (cid: CID | string): boolean {
    return this.entries.has(cid.toString())
  }

  get (cid: CID | string): SignedEntry | undefined {
    return this.entries.get(cid.toString())
  }

  /** Adds an entry; false when it was known already. */
  add (signed: SignedEntry): boolean {
    return this.insert(signed).added
  }

  /**
   * Adds an entry and says where it goes in the display order, so a view can place it without
   * reading the whole history again: before `next` (undefined: last). An entry that known
   * entries already link to (a gap filled) can move them: then `moved` is true, and only the
   * whole order (`ordered()`) is right.
   *
   * Why the place is exact: in the order's Kahn walk an entry nothing links to unblocks no one,
   * so adding it leaves every other entry where it was; it becomes ready after its last known
   * parent and is taken at the first step whose entry sorts after it.
   */
  insert (signed: SignedEntry): { added: boolean, moved: boolean, next?: CID } {
    const key = keyOf(signed.cid)
    if (this.entries.has(key)) return { added: false, moved: false }
    const moved = this.linked.has(key)
    const order = moved ? undefined : this.order
    this.entries.set(key, signed)
    for (const prev of new Set(signed.entry.prev.map(keyOf))) {
      this.linked.set(prev, (this.linked.get(prev) ?? 0) + 1)
      this.headKeys.delete(prev)
    }
    if (!moved) this.headKeys.add(key)
    this.order = undefined
    if (order === undefined) return { added: true, moved }
    const parents = new Set(signed.entry.prev.map(String))
    let at = 0
    for (let i = order.length - 1; i >= 0; i--) {
      if (parents.has(order[i].cid.toString())) {
        at = i + 1
        break
      }
    }
    while (at < order.length && compareEntries(order[at], signed) < 0) at++
    order.splice(at, 0, signed)
    this.order = order
    const next = order[at + 1]
    return next === undefined ? { added: true, moved } : { added: true, moved, next: next.cid }
  }

  /**
   * Forgets an entry (an archive dropping its oldest). What it linked does not become a head
   * again (heads change only as entries come); its links stop counting, so a log that keeps
   * dropping its oldest holds links for the entries it has, not for every entry it ever had.
   */
  remove (cid: CID | string): boolean {
    const key = cid.toString()
    const signed = this.entries.get(key)
    if (signed === undefined) return false
    this.entries.delete(key)
    this.headKeys.delete(key)
    this.order = undefined
    for (const prev of new Set(signed.entry.prev.map(keyOf))) {
      const count = (this.linked.get(prev) ?? 0) - 1
      if (count > 0) this.linked.set(prev, count)
      else this.linked.delete(prev)
    }
    return true
  }

  /** How many CIDs known entries link to (what the log holds for its links). */
  get links (): number {
    return this.linked.size
  }

  /** The entries nothing known links to, in display order (by timestamp, then CID: heads do not link each other). */
  heads (): CID[] {
    return [...this.headKeys].map(key => this.entries.get(key) as SignedEntry)
      .sort(compareEntries)
      .map(s => s.cid)
  }

  /** Links of known entries to entries not known (gaps a sync may fill). */
  missing (): CID[] {
    const out = new Map<string, CID>()
    for (const signed of this.entries.values()) {
      for (const prev of signed.entry.prev) if (!this.entries.has(prev.toString())) out.set(prev.toString(), prev)
    }
    return [...out.values()]
  }

  /**
   * Every entry in display order: Kahn's topological order over the known links, taking the
   * ready entry with the smallest (timestamp, CID) first. An entry whose parents are not all
   * known waits only for those that are. Kept between calls while entries only add to it.
   */
  ordered (): SignedEntry[] {
    this.order ??= this.sorted()
    return [...this.order]
  }

  private sorted (): SignedEntry[] {
    const waiting = new Map<string, number>()
    const children = new Map<string, string[]>()
    for (const [key, signed] of this.entries) {
      const known = [...new Set(signed.entry.prev.map(String))].filter(p => this.entries.has(p))
      waiting.set(key, known.length)
      for (const parent of known) {
        const list = children.get(parent) ?? []
        list.push(key)
        children.set(parent, list)
      }
    }
    const ready = new MinHeap<SignedEntry>(compareEntries)
    for (const [key, count] of waiting) if (count === 0) ready.push(this.entries.get(key) as SignedEntry)
    const out: SignedEntry[] = []
    for (let next = ready.pop(); next !== undefined; next = ready.pop()) {
      out.push(next)
      for (const child of children.get(next.cid.toString()) ?? []) {
        const left = (waiting.get(child) as number) - 1
        waiting.set(child, left)
        if (left === 0) ready.push(this.entries.get(child) as SignedEntry)
      }
    }
    return out
  }
}

/** A CID as the log keys it: its string, held flat (the log keeps thousands). */
function keyOf (cid: CID | string): string {
  return flatText(cid.toString())
}

function compareText (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The tie-break among entries ready at once: timestamp, then CID. */
function compareEntries (a: SignedEntry, b: SignedEntry): number {
  return a.entry.ts - b.entry.ts || compareText(a.cid.toString(), b.cid.toString())
}

/** A binary min-heap. */
class MinHeap<T> {
  private readonly items: T[] = []
  private readonly less: (a: T, b: T) => number

  constructor (compare: (a: T, b: T) => number) {
    this.less = compare
  }

  push (item: T): void {
    const items = this.items
    items.push(item)
    for (let i = items.length - 1; i > 0;) {
      const parent = (i - 1) >> 1
      if (this.less(items[i], items[parent]) >= 0) break
      ;[items[i], items[parent]] = [items[parent], items[i]]
      i = parent
    }
  }

  pop (): T | undefined {
    const items = this.items
    if (items.length === 0) return undefined
    const top = items[0]
    const last = items.pop() as T
    if (items.length > 0) {
      items[0] = last
      for (let i = 0; ;) {
        const left = 2 * i + 1
        const right = left + 1
        let smallest = i
        if (left < items.length && this.less(items[left], items[smallest]) < 0) smallest = left
        if (right < items.length && this.less(items[right], items[smallest]) < 0) smallest = right
        if (smallest === i) break
        ;[items[i], items[smallest]] = [items[smallest], items[i]]
        i = smallest
      }
    }
    return top
  }
}
