import { MAX_MESSAGE_BYTES } from './limits.ts'
import { InvalidEntryError } from './log-entry.ts'
import { readTopicMessage, type TopicMessage } from './wire.ts'

/** Why a room topic message is refused (each counted under its name). */
export type TopicRefusal = 'oversized' | 'malformed' | 'spoofed' | 'future'

/** A topic message read and judged: what it says, or why it must not be delivered or forwarded. */
export type TopicVerdict = { ok: true, decoded: TopicMessage } | { ok: false, reason: TopicRefusal }

/** What a topic message is judged against. */
export interface TopicCheck {
  /** The topic (the room) it arrived on. */
  room: string
  /** The PeerId that signed the gossipsub message. */
  from: string
  /** Now, in ms since the epoch. */
  now: number
  /** How far in the future an entry's timestamp may be. */
  maxFutureMs: number
}

/**
 * Judges a signed message on a room topic, the one rule for every node that delivers or
 * forwards one (a member's rooms, the relay's forwarding, the relay's archive): at most
 * `MAX_MESSAGE_BYTES`; readable (a history entry's signature is checked against its author's
 * key: one that is not is a forgery, counted as `spoofed`); of this room; said by the peer that
 * signed the message (no one speaks for someone else); no entry from the future.
 */
export async function checkTopicMessage (data: Uint8Array, check: TopicCheck): Promise<TopicVerdict> {
  if (data.byteLength > MAX_MESSAGE_BYTES) return { ok: false, reason: 'oversized' }
  let decoded: TopicMessage
  try {
    decoded = await readTopicMessage(data)
  } catch (err) {
    return { ok: false, reason: err instanceof InvalidEntryError && err.problem === 'signature' ? 'spoofed' : 'malformed' }
  }
  const said = decoded.type === 'entry' ? decoded.signed.entry : decoded.type === 'presence' ? decoded.presence : decoded.message
  if (said.room !== check.room) return { ok: false, reason: 'malformed' }
  if (said.author !== check.from) return { ok: false, reason: 'spoofed' }
  if (decoded.type === 'entry' && decoded.signed.entry.ts > check.now + check.maxFutureMs) return { ok: false, reason: 'future' }
  return { ok: true, decoded }
}
