import { dagJsonToDagCbor } from '../hotpath/index.ts'
import { readCborMap } from './cbor-map.ts'
import { InvalidChatInputError, InvalidRoomNameError, MalformedRoomMessageError } from './errors.ts'

/** The schema version this build writes and reads. */
export const ROOM_MESSAGE_VERSION = 1

/**
 * What a room message says: `message` is chat text; `join`, `here` (sent periodically while
 * in the room) and `leave` keep the member list. `text` is empty for all but `message`.
 */
export type RoomMessageKind = 'message' | 'join' | 'here' | 'leave'

/** A room message as it travels, DAG-CBOR encoded, on the room's gossipsub topic. */
export interface RoomMessage {
  v: typeof ROOM_MESSAGE_VERSION
  kind: RoomMessageKind
  /** The room, equal to the topic it is published on. */
  room: string
  /** The author's PeerId; must be the signer of the pubsub message. */
  author: string
  nick: string
  text: string
  /** Milliseconds since the epoch, by the author's clock. */
  timestamp: number
}

/** Longest room name, nickname and message text (in UTF-16 units). */
export const LIMITS = { room: 100, nick: 32, text: 4000 } as const

const KINDS: ReadonlySet<string> = new Set<RoomMessageKind>(['message', 'join', 'here', 'leave'])
/** True when `text` holds a control character (C0 or DEL), refused in names. */
function hasControl (text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x20 || code === 0x7f) return true
  }
  return false
}

/** Throws `InvalidRoomNameError` unless `room` can name a room (and so a topic, verbatim). */
export function checkRoomName (room: unknown): string {
  if (typeof room !== 'string' || room.length === 0) throw new InvalidRoomNameError('a room needs a name')
  if (room.length > LIMITS.room) throw new InvalidRoomNameError(`a room name has at most ${LIMITS.room} characters`)
  if (hasControl(room)) throw new InvalidRoomNameError('a room name cannot contain control characters')
  if (room.trim() !== room) throw new InvalidRoomNameError('a room name cannot start or end with spaces')
  if (room.startsWith('_') || room.startsWith('cairn.')) throw new InvalidRoomNameError('room names starting with "_" or "cairn." are reserved')
  return room
}

/** True when `topic` can be a room's (other topics, such as peer discovery's, are reserved names). */
export function isRoomTopic (topic: string): boolean {
  try {
    checkRoomName(topic)
    return true
  } catch {
    return false
  }
}

/** Throws `InvalidChatInputError` unless `nick` is a usable nickname. */
export function checkNick (nick: unknown): string {
  if (typeof nick !== 'string' || nick.trim().length === 0) throw new InvalidChatInputError('a nickname cannot be empty')
  if (nick.length > LIMITS.nick) throw new InvalidChatInputError(`a nickname has at most ${LIMITS.nick} characters`)
  if (hasControl(nick)) throw new InvalidChatInputError('a nickname cannot contain control characters')
  return nick.trim()
}

/** Throws `InvalidChatInputError` unless `text` can be sent. */
export function checkText (text: unknown): string {
  if (typeof text !== 'string' || text.trim().length === 0) throw new InvalidChatInputError('a message cannot be empty')
  if (text.length > LIMITS.text) throw new InvalidChatInputError(`a message has at most ${LIMITS.text} characters`)
  return text
}

/** The message's DAG-CBOR bytes, encoded by the WASM module. */
export function encodeRoomMessage (message: RoomMessage): Uint8Array<ArrayBuffer> {
  const { v, kind, room, author, nick, text, timestamp } = message
  return dagJsonToDagCbor(JSON.stringify({ v, kind, room, author, nick, text, timestamp }))
}

function field<T> (value: unknown, check: (v: unknown) => v is T, name: string): T {
  if (!check(value)) throw new MalformedRoomMessageError(`room message field "${name}" is missing or has the wrong type`)
  return value
}
const isString = (v: unknown): v is string => typeof v === 'string'
const isTimestamp = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0

/**
 * Decodes and checks a received message (strict DAG-CBOR, by the WASM module). Throws
 * `MalformedRoomMessageError` for anything that is not a version-1 room message.
 */
export function decodeRoomMessage (bytes: Uint8Array): RoomMessage {
  return roomMessageFrom(readCborMap(bytes, 'room message'))
}

/** Checks the fields of a version-1 message already read from DAG-CBOR (see `readCborMap`). */
export function roomMessageFrom (m: Record<string, unknown>): RoomMessage {
  if (m.v !== ROOM_MESSAGE_VERSION) throw new MalformedRoomMessageError(`room message version ${JSON.stringify(m.v)} is not supported (this build reads ${ROOM_MESSAGE_VERSION})`)
  const kind = field(m.kind, isString, 'kind')
  if (!KINDS.has(kind)) throw new MalformedRoomMessageError(`unknown room message kind ${JSON.stringify(kind)}`)
  const message: RoomMessage = {
    v: ROOM_MESSAGE_VERSION,
    kind: kind as RoomMessageKind,
    room: field(m.room, isString, 'room'),
    author: field(m.author, isString, 'author'),
    nick: field(m.nick, isString, 'nick'),
    text: field(m.text, isString, 'text'),
    timestamp: field(m.timestamp, isTimestamp, 'timestamp')
  }
  if (message.nick.length > LIMITS.nick || hasControl(message.nick)) throw new MalformedRoomMessageError('room message has an invalid nickname')
  if (message.text.length > LIMITS.text) throw new MalformedRoomMessageError('room message text is too long')
  return message
}
