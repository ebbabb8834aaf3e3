import type { CID } from 'multiformats/cid'
import { dagJsonToDagCbor } from '../hotpath/index.ts'
import { linkOf } from './cbor-map.ts'
import { MalformedRoomMessageError } from './errors.ts'
import { LIMITS } from './message.ts'
import { MAX_PREV } from './log-entry.ts'

/** Presence kinds: arriving, still here (sent periodically), leaving. */
export type PresenceKind = 'join' | 'here' | 'leave'

/**
 * A member's presence (version 2): who is in the room under which nickname, and the heads of
 * the room's history as they see it, so others learn what they lack and fetch it by CID.
 */
export interface Presence {
  v: 2
  kind: PresenceKind
  room: string
  author: string
  nick: string
  ts: number
  heads: CID[]
  /** The sender's history index (see `history-index.ts`), when it has history. */
  index?: CID
}

const KINDS: readonly string[] = ['join', 'here', 'leave']

/** The presence's DAG-CBOR bytes, by the WASM module. */
export function encodePresence (presence: Presence): Uint8Array {
  const { v, kind, room, author, nick, ts, heads, index } = presence
  const json: Record<string, unknown> = { v, kind, room, author, nick, ts, heads: heads.map(cid => ({ '/': cid.toString() })) }
  if (index !== undefined) json.index = { '/': index.toString() }
  return dagJsonToDagCbor(JSON.stringify(json))
}

/** Checks the fields of a presence already read from DAG-CBOR (`readCborMap`); throws `MalformedRoomMessageError`. */
export function presenceFrom (m: Record<string, unknown>): Presence {
  const bad = (field: string): never => { throw new MalformedRoomMessageError(`presence field "${field}" is missing or wrong`) }
  if (m.v !== 2) bad('v')
  if (typeof m.kind !== 'string' || !KINDS.includes(m.kind)) bad('kind')
  if (typeof m.room !== 'string' || m.room === '' || m.room.length > LIMITS.room) bad('room')
  if (typeof m.author !== 'string') bad('author')
  if (typeof m.nick !== 'string' || m.nick.trim() === '' || m.nick.length > LIMITS.nick) bad('nick')
  if (typeof m.ts !== 'number' || !Number.isSafeInteger(m.ts) || m.ts < 0) bad('ts')
  if (!Array.isArray(m.heads) || m.heads.length > MAX_PREV) bad('heads')
  const heads = (m.heads as unknown[]).map(link => linkOf(link) ?? bad('heads'))
  const presence: Presence = { v: 2, kind: m.kind as PresenceKind, room: m.room as string, author: m.author as string, nick: (m.nick as string).trim(), ts: m.ts as number, heads }
  if (m.index !== undefined) presence.index = linkOf(m.index) ?? bad('index')
  return presence
}
