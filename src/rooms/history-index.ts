import { CID } from 'multiformats/cid'
import { create as createDigest } from 'multiformats/hashes/digest'
import { dagJsonToDagCbor, sha256Hasher } from '../hotpath/index.ts'
import { linkOf, readCborMap } from './cbor-map.ts'
import { MalformedRoomMessageError } from './errors.ts'

/** Entry CIDs per index block: about 37 KB, under the 64 KiB block limit. */
export const INDEX_ENTRIES_PER_BLOCK = 1000

/**
 * A history index: the CIDs of a member's newest entries, newest first, in blocks of 1000
 * linked by `next`. Announced next to the heads, it lets a late joiner ask for a thousand
 * entries at once instead of walking `prev` one round trip per message. It is only a hint:
 * every entry is still fetched by CID, verified and its signature checked, and what the index
 * leaves out the `prev` walk still finds.
 */
export interface HistoryIndexBlock {
  cid: CID
  bytes: Uint8Array
}

async function block (room: string, entries: CID[], next: CID | undefined): Promise<HistoryIndexBlock> {
  const json: Record<string, unknown> = { v: 1, room, entries: entries.map(cid => ({ '/': cid.toString() })) }
  if (next !== undefined) json.next = { '/': next.toString() }
  const bytes = dagJsonToDagCbor(JSON.stringify(json))
  return { cid: CID.createV1(0x71, createDigest(0x12, await sha256Hasher.encode(bytes))), bytes }
}

/** The index blocks for `newestFirst` (entry CIDs); the first returned is the one to announce. */
export async function buildHistoryIndex (room: string, newestFirst: CID[]): Promise<HistoryIndexBlock[]> {
  const chunks: CID[][] = []
  for (let at = 0; at < newestFirst.length; at += INDEX_ENTRIES_PER_BLOCK) chunks.push(newestFirst.slice(at, at + INDEX_ENTRIES_PER_BLOCK))
  const blocks: HistoryIndexBlock[] = []
  let next: CID | undefined
  for (const chunk of chunks.reverse()) {
    const made = await block(room, chunk, next)
    blocks.unshift(made)
    next = made.cid
  }
  return blocks
}

/** Reads one index block: the entry CIDs it lists and the next block, if any. */
export function readHistoryIndex (bytes: Uint8Array, room: string): { entries: CID[], next?: CID } {
  const m = readCborMap(bytes, 'history index')
  if (m.v !== 1 || m.room !== room || !Array.isArray(m.entries) || m.entries.length > INDEX_ENTRIES_PER_BLOCK) {
    throw new MalformedRoomMessageError('not a history index of this room')
  }
  const link = (value: unknown): CID => {
    const cid = linkOf(value)
    if (cid === undefined) throw new MalformedRoomMessageError('history index holds something that is not a link')
    return cid
  }
  const entries = m.entries.map(link)
  return m.next === undefined ? { entries } : { entries, next: link(m.next) }
}
