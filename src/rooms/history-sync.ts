import type { CID } from 'multiformats/cid'
import { readHistoryIndex } from './history-index.ts'
import { InvalidEntryError, readEntry, type SignedEntry } from './log-entry.ts'
import type { RoomLog } from './room-log.ts'

/** How far back a sync goes and what it accepts. */
export interface SyncLimits {
  /** Entries fetched in one sync at most (the history shown is the last this many). */
  maxEntries: number
  /** Entries older than this are kept but their links not followed further back. */
  maxAgeMs: number
  /** Entries stamped further ahead than this are refused. */
  maxFutureMs: number
  now: () => number
}

/** The defaults: the last 1000 messages or 7 days, whichever ends first; 5 minutes of clock skew. */
export const DEFAULT_SYNC_LIMITS: SyncLimits = { maxEntries: 1000, maxAgeMs: 7 * 24 * 3600_000, maxFutureMs: 5 * 60_000, now: () => Date.now() }

/** Blocks refused or not found while syncing, by reason. */
export interface SyncCounts {
  malformed: number
  oversized: number
  signature: number
  tooManyHeads: number
  wrongRoom: number
  future: number
  /** Linked blocks nobody could give (the walk goes on without them). */
  unavailable: number
  /** Walks cut short by `maxEntries`. */
  truncated: number
  /** History indexes that could not be had or read (the walk goes on without them). */
  badIndex: number
}

/** Zeroed counts. */
export function newSyncCounts (): SyncCounts {
  return { malformed: 0, oversized: 0, signature: 0, tooManyHeads: 0, wrongRoom: 0, future: 0, unavailable: 0, truncated: 0, badIndex: 0 }
}

/** Blocks asked for at once while walking back: one Bitswap wantlist carries them together (a peer keeps 1024). */
const WALK_BATCH = 256

/**
 * Walks a room's history back from `heads` (announced by members, or stored) to what the log
 * lacks: each block fetched by CID (`getBlock` answers verified bytes, from the store or the
 * network), read as an entry (schema and the author's signature), checked to be of this
 * room and not from the future, added to the log, its `prev` followed. Stops at `maxEntries`
 * new entries, and does not go past entries older than `maxAgeMs`. What is refused or
 * cannot be had is counted, never thrown: one bad block does not stop a room. Returns the
 * entries added.
 */
export async function syncHistory (room: string, log: RoomLog, heads: CID[], getBlock: (cid: CID) => Promise<Uint8Array>, limits: SyncLimits, counts: SyncCounts, index?: CID): Promise<SignedEntry[]> {
  const added: SignedEntry[] = []
  const queued = new Set<string>()
  // An announced index names many entries at once: they join the first round of the walk.
  if (index !== undefined) heads = [...heads, ...await indexed(room, index, getBlock, limits.maxEntries, counts)]
  let frontier = heads.filter(cid => !log.has(cid) && !queued.has(cid.toString()) && queued.add(cid.toString()))
  while (frontier.length > 0) {
    const next: CID[] = []
    for (let at = 0; at < frontier.length; at += WALK_BATCH) {
      const batch = frontier.slice(at, at + WALK_BATCH)
      const read = await Promise.all(batch.map(async cid => readOne(cid, getBlock, counts)))
      for (const signed of read) {
        if (signed === undefined) continue
        const { entry } = signed
        if (entry.room !== room) {
          counts.wrongRoom++
          continue
        }
        if (entry.ts > limits.now() + limits.maxFutureMs) {
          counts.future++
          continue
        }
        if (added.length >= limits.maxEntries) {
          counts.truncated++
          return added
        }
        if (!log.add(signed)) continue
        added.push(signed)
        if (entry.ts < limits.now() - limits.maxAgeMs) continue
        for (const prev of entry.prev) {
          const key = prev.toString()
          if (log.has(prev) || queued.has(key)) continue
          queued.add(key)
          next.push(prev)
        }
      }
    }
    frontier = next
  }
  return added
}

/** The entry CIDs an index lists (up to `max`), following `next`; a bad index is counted and ends there. */
async function indexed (room: string, first: CID, getBlock: (cid: CID) => Promise<Uint8Array>, max: number, counts: SyncCounts): Promise<CID[]> {
  const out: CID[] = []
  const seen = new Set<string>()
  for (let at: CID | undefined = first; at !== undefined && out.length < max && !seen.has(at.toString());) {
    seen.add(at.toString())
    try {
      const bytes = await getBlock(at)
      const index = readHistoryIndex(bytes, room)
      out.push(...index.entries.slice(0, max - out.length))
      at = index.next
    } catch {
      counts.badIndex++
      break
    }
  }
  return out
}

async function readOne (cid: CID, getBlock: (cid: CID) => Promise<Uint8Array>, counts: SyncCounts): Promise<SignedEntry | undefined> {
  let bytes: Uint8Array
  try {
    bytes = await getBlock(cid)
  } catch {
    counts.unavailable++
    return undefined
  }
  try {
    const signed = await readEntry(bytes)
    const asked = cid.toString()
    if (signed.cid.toString() !== asked) throw new InvalidEntryError('malformed', `block ${asked} is not a DAG-CBOR SHA-256 entry`)
    return signed
  } catch (err) {
    if (!(err instanceof InvalidEntryError)) throw err
    if (err.problem === 'too-many-heads') counts.tooManyHeads++
    else counts[err.problem]++
    return undefined
  }
}
