import { readCborMap } from './cbor-map.ts'
import { readEntry, type SignedEntry } from './log-entry.ts'
import { roomMessageFrom, type RoomMessage } from './message.ts'
import { presenceFrom, type Presence } from './presence.ts'

/** What a room topic carries: a history entry, a presence, or an old (version 1) message. */
export type TopicMessage =
  | { type: 'entry', signed: SignedEntry }
  | { type: 'presence', presence: Presence }
  | { type: 'legacy', message: RoomMessage }

/**
 * Reads whatever arrived on a room topic, decoding it once. Version 2 is a history entry (it
 * carries `sig`) or a presence (it carries `kind`); version 1 is the old single-message
 * format, still shown live. Throws `MalformedRoomMessageError` (or its `InvalidEntryError`)
 * with the reason.
 */
export async function readTopicMessage (bytes: Uint8Array): Promise<TopicMessage> {
  const m = readCborMap(bytes, 'room message')
  if (m.v === 2 && 'sig' in m) return { type: 'entry', signed: await readEntry(bytes, m) }
  if (m.v === 2) return { type: 'presence', presence: presenceFrom(m) }
  return { type: 'legacy', message: roomMessageFrom(m) }
}
