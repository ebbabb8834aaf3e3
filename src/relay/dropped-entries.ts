import type { CID } from 'multiformats/cid'

/** How many drops a room remembers: twice what one history sync fetches. */
export const DROPS_PER_ROOM = 2000

/** How many drops all rooms remember together. */
export const MAX_REMEMBERED_DROPS = 100_000

/**
 * The first 16 bytes of an entry's digest, as text: 24 characters where the CID's string
 * has 59. Two entries sharing them would take a 2^64 history to meet by chance; if they
 * did, the archive would only skip fetching an entry it may not have had room for anyway.
 * Node's encoder makes one flat string: multiformats' encoders build theirs a character at
 * a time, and a kept key then holds that whole chain (measured: 383 bytes a key, not 71).
 */
function keyOf (cid: CID): string {
  const digest = cid.multihash.digest
  return Buffer.from(digest.buffer, digest.byteOffset, 16).toString('base64')
}

/**
 * History entries an archive dropped for space, remembered so it does not fetch them back:
 * members still name them (their heads, history indexes and `prev` links), and without this
 * the archive fetched them at every presence, dropped them again, and spent its Bitswap doing
 * so (the soak test found it at the cap).
 *
 * What a member can name that the archive dropped is recent: a sync fetches at most the
 * newest `DEFAULT_SYNC_LIMITS.maxEntries` of a room, and the links of the oldest entries
 * kept point at the newest drops. So each room remembers its newest `DROPS_PER_ROOM` drops
 * and forgets older ones, and all rooms together at most `MAX_REMEMBERED_DROPS` (oldest
 * forgotten first): the memory stays bounded however long the archive runs (about 80 bytes
 * a drop).
 */
export class DroppedEntries {
  private readonly perRoom: number
  private readonly total: number
  /** Every remembered drop's key, oldest first, to its room. */
  private readonly roomOf = new Map<string, string>()
  /** Per room, its drops oldest first (`first` is where the live ones start). */
  private readonly byRoom = new Map<string, { keys: string[], first: number }>()

  constructor (perRoom = DROPS_PER_ROOM, total = MAX_REMEMBERED_DROPS) {
    this.perRoom = perRoom
    this.total = total
  }

  /** How many drops are remembered. */
  get size (): number {
    return this.roomOf.size
  }

  has (cid: CID): boolean {
    return this.roomOf.has(keyOf(cid))
  }

  /** Remembers an entry of `room` dropped for space. */
  add (room: string, cid: CID): void {
    const key = keyOf(cid)
    if (this.roomOf.has(key)) return
    this.roomOf.set(key, room)
    let list = this.byRoom.get(room)
    if (list === undefined) {
      list = { keys: [], first: 0 }
      this.byRoom.set(room, list)
    }
    list.keys.push(key)
    if (list.keys.length - list.first > this.perRoom) this.forgetOldest(room)
    if (this.roomOf.size > this.total) this.forgetOldest(this.roomOf.values().next().value as string)
  }

  /** Forgets a room's oldest remembered drop (which is also the oldest of all when the total is over). */
  private forgetOldest (room: string): void {
    const list = this.byRoom.get(room)
    if (list === undefined) return
    const key = list.keys[list.first++]
    this.roomOf.delete(key)
    if (list.first === list.keys.length) {
      this.byRoom.delete(room)
    } else if (list.first > 1024 && list.first * 2 > list.keys.length) {
      // Compact now and then rather than shifting at every drop.
      list.keys = list.keys.slice(list.first)
      list.first = 0
    }
  }
}
