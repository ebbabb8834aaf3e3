import { dagCborToDagJson } from '../hotpath/index.ts'
import { MalformedRoomMessageError } from './errors.ts'
import { MAX_MESSAGE_BYTES } from './limits.ts'
import { readEntry, type SignedEntry } from './log-entry.ts'
import { decodeRoomMessage, type RoomMessage } from './message.ts'
import { readPresence, type Presence } from './presence.ts'

/** What a room topic carries: a history entry, a presence, or an old (version 1) message. */
export type TopicMessage =
  | { type: 'entry', signed: SignedEntry }
  | { type: 'presence', presence: Presence }
  | { type: 'legacy', message: RoomMessage }

/**
 * Reads whatever arrived on a room topic. Version 2 is a history entry (it carries `sig`) or
 * a presence (it carries `kind`); version 1 is the old single-message format, still shown
 * live. Throws `MalformedRoomMessageError` (or its `InvalidEntryError`) with the reason.
 */
export async function readTopicMessage (bytes: Uint8Array): Promise<TopicMessage> {
  if (bytes.byteLength > MAX_MESSAGE_BYTES) throw new MalformedRoomMessageError(`room message of ${bytes.byteLength} bytes is over the ${MAX_MESSAGE_BYTES} byte limit`)
  let value: unknown
  try {
    value = JSON.parse(dagCborToDagJson(bytes))
  } catch (err) {
    throw new MalformedRoomMessageError(`room message is not valid DAG-CBOR: ${(err as Error).message}`)
  }
  const m = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>
  if (m.v === 2 && 'sig' in m) return { type: 'entry', signed: await readEntry(bytes) }
  if (m.v === 2) return { type: 'presence', presence: readPresence(bytes) }
  return { type: 'legacy', message: decodeRoomMessage(bytes) }
}
