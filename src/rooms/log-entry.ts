import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { base64 } from 'multiformats/bases/base64'
import { CID } from 'multiformats/cid'
import { create as createDigest } from 'multiformats/hashes/digest'
import { dagJsonToDagCbor, sha256Hasher } from '../hotpath/index.ts'
import { linkOf, readCborMap } from './cbor-map.ts'
import { MalformedRoomMessageError } from './errors.ts'
import { MAX_MESSAGE_BYTES } from './limits.ts'
import { LIMITS } from './message.ts'

/** The schema version of a history entry (version 1 is the old live-only message). */
export const LOG_ENTRY_VERSION = 2

/** Most heads one entry may link: a merge of more is refused (a fork bomb stays bounded). */
export const MAX_PREV = 16

const DAG_CBOR = 0x71
/** Signed bytes start with this, so an entry's signature can mean nothing else. */
const SIGNING_DOMAIN = new TextEncoder().encode('cairn room log entry\n')

/**
 * One chat message as a block of the room's history: DAG-CBOR, encoded and hashed by the
 * WASM module, linking the heads its author had seen (`prev`, a Merkle clock), signed by the
 * author's libp2p key over everything else.
 */
export interface LogEntry {
  v: typeof LOG_ENTRY_VERSION
  room: string
  /** The author's PeerId (its public key is in it). */
  author: string
  nick: string
  text: string
  /** Milliseconds since the epoch, by the author's clock. */
  ts: number
  prev: CID[]
  sig: Uint8Array
}

/** An entry with its block. */
export interface SignedEntry {
  cid: CID
  bytes: Uint8Array
  entry: LogEntry
}

/** Why an entry was refused. */
export type EntryProblem = 'malformed' | 'oversized' | 'signature' | 'too-many-heads'

/** An entry that is not a valid, correctly signed history entry. */
export class InvalidEntryError extends MalformedRoomMessageError {
  override name = 'InvalidEntryError'
  readonly problem: EntryProblem
  constructor (problem: EntryProblem, message: string) {
    super(message)
    this.problem = problem
  }
}

function linkJson (cid: CID): { '/': string } {
  return { '/': cid.toString() }
}

/** The DAG-CBOR of the entry's fields, with or without its signature. */
function encode (fields: Omit<LogEntry, 'sig'> & { sig?: Uint8Array }): Uint8Array {
  const json: Record<string, unknown> = { v: fields.v, room: fields.room, author: fields.author, nick: fields.nick, text: fields.text, ts: fields.ts, prev: fields.prev.map(linkJson) }
  if (fields.sig !== undefined) json.sig = { '/': { bytes: base64.baseEncode(fields.sig) } }
  return dagJsonToDagCbor(JSON.stringify(json))
}

function signedBytes (unsigned: Uint8Array): Uint8Array {
  const out = new Uint8Array(SIGNING_DOMAIN.length + unsigned.length)
  out.set(SIGNING_DOMAIN)
  out.set(unsigned, SIGNING_DOMAIN.length)
  return out
}

async function cidOf (bytes: Uint8Array): Promise<CID> {
  return CID.createV1(DAG_CBOR, createDigest(0x12, await sha256Hasher.encode(bytes)))
}

/** Writes and signs an entry with the node's key. */
export async function createEntry (init: { room: string, nick: string, text: string, ts: number, prev: CID[] }, key: PrivateKey, author: string): Promise<SignedEntry> {
  if (init.prev.length > MAX_PREV) throw new InvalidEntryError('too-many-heads', `an entry links at most ${MAX_PREV} heads`)
  const unsigned = { v: LOG_ENTRY_VERSION, room: init.room, author, nick: init.nick, text: init.text, ts: init.ts, prev: init.prev } as const
  const sig = await key.sign(signedBytes(encode(unsigned)))
  const entry: LogEntry = { ...unsigned, prev: [...init.prev], sig }
  const bytes = encode(entry)
  return { cid: await cidOf(bytes), bytes, entry }
}

const isString = (v: unknown): v is string => typeof v === 'string'
const hasControl = (text: string): boolean => [...text].some(c => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)

function malformed (message: string): InvalidEntryError {
  return new InvalidEntryError('malformed', `history entry: ${message}`)
}

/**
 * Reads a history entry from its block: strict DAG-CBOR (the WASM module), the version-2
 * schema, at most 64 KiB and `MAX_PREV` heads, and a signature by the key in the author's
 * PeerId over the rest. Throws `InvalidEntryError` with the reason. Whether the block matches
 * a CID is the caller's (blocks come verified from the blockstore or the exchange). `fields`:
 * the block already read as a map (a topic message is read once).
 */
export async function readEntry (bytes: Uint8Array, fields?: Record<string, unknown>): Promise<SignedEntry> {
  if (bytes.byteLength > MAX_MESSAGE_BYTES) throw new InvalidEntryError('oversized', `history entry of ${bytes.byteLength} bytes is over the ${MAX_MESSAGE_BYTES} byte limit`)
  let m = fields
  if (m === undefined) {
    try {
      m = readCborMap(bytes, 'history entry')
    } catch (err) {
      throw new InvalidEntryError('malformed', (err as Error).message)
    }
  }
  if (m.v !== LOG_ENTRY_VERSION) throw malformed(`version ${JSON.stringify(m.v)} is not ${LOG_ENTRY_VERSION}`)
  const keys = Object.keys(m).sort().join(',')
  if (keys !== 'author,nick,prev,room,sig,text,ts,v') throw malformed(`unexpected fields (${keys})`)
  if (!isString(m.room) || m.room === '' || m.room.length > LIMITS.room) throw malformed('bad "room"')
  if (!isString(m.author)) throw malformed('bad "author"')
  if (!isString(m.nick) || m.nick.trim() === '' || m.nick.length > LIMITS.nick || hasControl(m.nick)) throw malformed('bad "nick"')
  if (!isString(m.text) || m.text.trim() === '' || m.text.length > LIMITS.text) throw malformed('bad "text"')
  if (typeof m.ts !== 'number' || !Number.isSafeInteger(m.ts) || m.ts < 0) throw malformed('bad "ts"')
  if (!Array.isArray(m.prev)) throw malformed('bad "prev"')
  if (m.prev.length > MAX_PREV) throw new InvalidEntryError('too-many-heads', `history entry links ${m.prev.length} heads, over ${MAX_PREV}`)
  const prev = m.prev.map(link => {
    const cid = linkOf(link)
    if (cid === undefined) throw malformed('"prev" holds something that is not a link')
    if (cid.code !== DAG_CBOR) throw malformed('"prev" links something that is not DAG-CBOR')
    return cid
  })
  const sigText = (m.sig as { '/'?: { bytes?: unknown } } | null)?.['/']?.bytes
  if (!isString(sigText)) throw malformed('bad "sig"')
  const entry: LogEntry = { v: LOG_ENTRY_VERSION, room: m.room, author: m.author, nick: m.nick, text: m.text, ts: m.ts, prev, sig: base64.baseDecode(sigText) }
  let verified: boolean
  try {
    const publicKey = peerIdFromString(entry.author).publicKey
    if (publicKey === undefined) throw new Error('the PeerId does not hold its public key')
    const { sig, ...unsigned } = entry
    verified = await publicKey.verify(signedBytes(encode(unsigned)), sig)
  } catch (err) {
    throw new InvalidEntryError('signature', `history entry author ${entry.author} cannot be checked: ${(err as Error).message}`)
  }
  if (!verified) throw new InvalidEntryError('signature', `history entry's signature is not ${entry.author}'s`)
  return { cid: await cidOf(bytes), bytes, entry }
}
