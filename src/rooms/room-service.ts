import { TopicValidatorResult, type GossipSub, type Message } from '@libp2p/gossipsub'
import { logger } from '@libp2p/logger'
import { MAX_MESSAGE_BYTES } from './limits.ts'
import { NotInRoomError } from './errors.ts'
import { checkNick, checkRoomName, checkText, decodeRoomMessage, encodeRoomMessage, ROOM_MESSAGE_VERSION, type RoomMessage, type RoomMessageKind } from './message.ts'
import { RateLimiter } from '../lib/rate-limiter.ts'
import type { RoomState, RoomStore, StoredMessage } from './room-store.ts'

const log = logger('cairn:rooms')

/** Someone in a room, as far as their presence messages tell. */
export interface RoomMember {
  peerId: string
  nick: string
  lastSeen: number
  self: boolean
}

/** A joined room, for the room list. */
export interface RoomSummary {
  room: string
  members: number
}

/** Received messages that were refused, by reason. */
export interface DropCounts {
  /** Not a version-1 room message (bad DAG-CBOR, wrong fields, wrong room). */
  malformed: number
  /** Over 64 KiB. */
  oversized: number
  /** Unsigned, or with a bad signature (refused by gossipsub itself). */
  unsigned: number
  /** Claiming an author other than the signer. */
  spoofed: number
  /** Over the per-peer rate limit. */
  flooding: number
}

/** Events for the UI; the Service Worker broadcasts them to every open page. */
export type RoomEvent =
  | { type: 'room.message', detail: StoredMessage }
  | { type: 'room.members', detail: { room: string, members: RoomMember[] } }
  | { type: 'room.list', detail: RoomSummary[] }

/** What a RoomService needs. */
export interface RoomServiceInit {
  pubsub: GossipSub
  peerId: string
  store: RoomStore
  emit: (event: RoomEvent) => void
  /** Counts gossipsub's own rejections (unsigned messages); optional. */
  gossipDrops?: { readonly unsigned: number }
  /** How often to announce presence in each room, in ms (default 20 s). */
  presenceIntervalMs?: number
  /** A member not heard from for this long is gone, in ms (default 3 × the presence interval). */
  memberTimeoutMs?: number
  /** Messages per second each peer may send into our rooms, with a burst of 4 s worth (default 5). */
  messagesPerSecond?: number
  now?: () => number
}

/** The default nickname: "peer-" and the last six characters of the PeerId. */
export function defaultNick (peerId: string): string {
  return `peer-${peerId.slice(-6)}`
}

/**
 * Chat rooms over gossipsub: one topic per room, the room name used verbatim; messages are
 * signed by gossipsub and DAG-CBOR encoded by the WASM module. Keeps the member list from
 * presence messages, refuses (and counts) malformed, oversized, unsigned, spoofed and
 * flooding messages, and keeps joined rooms and the nickname in its store.
 */
export class RoomService {
  private readonly init: Required<Omit<RoomServiceInit, 'gossipDrops'>> & Pick<RoomServiceInit, 'gossipDrops'>
  private state: RoomState
  private readonly members = new Map<string, Map<string, RoomMember>>()
  private readonly decoded = new WeakMap<Uint8Array, RoomMessage>()
  private readonly limiter: RateLimiter
  private readonly counts: Omit<DropCounts, 'unsigned'> = { malformed: 0, oversized: 0, spoofed: 0, flooding: 0 }
  private presenceTimer: ReturnType<typeof setInterval> | undefined
  private readonly lastPresence = new Map<string, number>()
  private readonly onMessage = (event: CustomEvent<Message>): void => { this.receive(event.detail).catch(err => log.error('receiving a room message failed: %s', err)) }

  constructor (init: RoomServiceInit) {
    const presenceIntervalMs = init.presenceIntervalMs ?? 20_000
    this.init = {
      ...init,
      presenceIntervalMs,
      memberTimeoutMs: init.memberTimeoutMs ?? presenceIntervalMs * 3,
      messagesPerSecond: init.messagesPerSecond ?? 5,
      now: init.now ?? (() => Date.now())
    }
    this.limiter = new RateLimiter({ perSecond: this.init.messagesPerSecond, burst: this.init.messagesPerSecond * 4 }, this.init.now)
    this.state = { rooms: [], nick: defaultNick(init.peerId) }
  }

  /** Loads the saved rooms, subscribes to them again and announces this node in each. */
  async start (): Promise<void> {
    this.state = (await this.init.store.load()) ?? this.state
    this.init.pubsub.addEventListener('message', this.onMessage)
    for (const room of this.state.rooms) this.subscribe(room)
    for (const room of this.state.rooms) await this.announce(room, 'join')
    this.presenceTimer = setInterval(() => { void this.tick() }, this.init.presenceIntervalMs)
    this.emitList()
  }

  /** Stops announcing; the rooms stay joined in the store (the next start rejoins them). */
  stop (): void {
    clearInterval(this.presenceTimer)
    this.init.pubsub.removeEventListener('message', this.onMessage)
    for (const room of this.state.rooms) this.init.pubsub.topicValidators.delete(room)
  }

  get nick (): string { return this.state.nick }
  get rooms (): string[] { return [...this.state.rooms] }

  /** Joins a room (subscribes to its topic) and announces this node there. */
  async join (room: string): Promise<void> {
    checkRoomName(room)
    if (this.state.rooms.includes(room)) return
    this.state.rooms.push(room)
    await this.init.store.save(this.state)
    this.subscribe(room)
    await this.announce(room, 'join')
    this.emitList()
  }

  /** Says goodbye and leaves the room. */
  async leave (room: string): Promise<void> {
    if (!this.state.rooms.includes(room)) throw new NotInRoomError(`not in room ${JSON.stringify(room)}`)
    await this.announce(room, 'leave')
    this.state.rooms = this.state.rooms.filter(r => r !== room)
    await this.init.store.save(this.state)
    this.init.pubsub.unsubscribe(room)
    this.init.pubsub.topicValidators.delete(room)
    this.members.delete(room)
    this.emitList()
  }

  /** Changes the nickname, announced in every joined room. */
  async setNick (nick: string): Promise<void> {
    this.state.nick = checkNick(nick)
    await this.init.store.save(this.state)
    for (const room of this.state.rooms) await this.announce(room, 'here')
  }

  /** Sends a chat message; resolves to it and the number of peers it went to directly. */
  async send (room: string, text: string): Promise<{ message: StoredMessage, recipients: number }> {
    if (!this.state.rooms.includes(room)) throw new NotInRoomError(`join room ${JSON.stringify(room)} before sending to it`)
    const message = this.compose(room, 'message', checkText(text))
    const { recipients } = await this.init.pubsub.publish(room, encodeRoomMessage(message))
    const stored: StoredMessage = { ...message, id: `${this.init.peerId}/${this.init.now()}/${Math.random().toString(36).slice(2)}`, receivedAt: this.init.now(), mine: true }
    await this.init.store.append(stored)
    this.init.emit({ type: 'room.message', detail: stored })
    return { message: stored, recipients: recipients.length }
  }

  /** The joined rooms with their member counts. */
  list (): RoomSummary[] {
    return this.state.rooms.map(room => ({ room, members: this.memberList(room).length }))
  }

  /** Who is in a room: this node first, then everyone heard from recently. */
  memberList (room: string): RoomMember[] {
    if (!this.state.rooms.includes(room)) throw new NotInRoomError(`not in room ${JSON.stringify(room)}`)
    const self: RoomMember = { peerId: this.init.peerId, nick: this.state.nick, lastSeen: this.init.now(), self: true }
    const others = [...(this.members.get(room)?.values() ?? [])].sort((a, b) => a.nick.localeCompare(b.nick))
    return [self, ...others]
  }

  /** The newest messages of a room, oldest first. */
  async history (room: string, limit = 200): Promise<StoredMessage[]> {
    return this.init.store.history(checkRoomName(room), limit)
  }

  /** Messages refused so far, by reason. */
  drops (): DropCounts {
    return { ...this.counts, unsigned: this.init.gossipDrops?.unsigned ?? 0 }
  }

  private compose (room: string, kind: RoomMessageKind, text = ''): RoomMessage {
    return { v: ROOM_MESSAGE_VERSION, kind, room, author: this.init.peerId, nick: this.state.nick, text, timestamp: this.init.now() }
  }

  private async announce (room: string, kind: RoomMessageKind): Promise<void> {
    this.lastPresence.set(room, this.init.now())
    await this.init.pubsub.publish(room, encodeRoomMessage(this.compose(room, kind))).catch(err => log('presence in %s not sent: %s', room, err))
  }

  private subscribe (room: string): void {
    this.init.pubsub.topicValidators.set(room, (_peer, message) => this.validate(room, message))
    this.init.pubsub.subscribe(room)
  }

  /** The room topic's validator: runs before gossipsub delivers or forwards a message. */
  private validate (room: string, message: Message): TopicValidatorResult {
    if (message.type !== 'signed') return TopicValidatorResult.Reject
    if (message.data.byteLength > MAX_MESSAGE_BYTES) {
      this.counts.oversized++
      return TopicValidatorResult.Reject
    }
    const author = message.from.toString()
    if (!this.limiter.take(author)) {
      this.counts.flooding++
      return TopicValidatorResult.Ignore
    }
    let decoded: RoomMessage
    try {
      decoded = decodeRoomMessage(message.data)
    } catch {
      this.counts.malformed++
      return TopicValidatorResult.Reject
    }
    if (decoded.room !== room) {
      this.counts.malformed++
      return TopicValidatorResult.Reject
    }
    if (decoded.author !== author) {
      this.counts.spoofed++
      return TopicValidatorResult.Reject
    }
    this.decoded.set(message.data, decoded)
    return TopicValidatorResult.Accept
  }

  private async receive (message: Message): Promise<void> {
    const decoded = this.decoded.get(message.data)
    if (decoded === undefined || message.type !== 'signed' || !this.state.rooms.includes(message.topic)) return
    const room = decoded.room
    const roomMembers = this.members.get(room) ?? new Map<string, RoomMember>()
    this.members.set(room, roomMembers)
    if (decoded.kind === 'leave') {
      roomMembers.delete(decoded.author)
    } else {
      const isNew = !roomMembers.has(decoded.author)
      roomMembers.set(decoded.author, { peerId: decoded.author, nick: decoded.nick, lastSeen: this.init.now(), self: false })
      // Someone new: tell them we are here rather than making them wait for our next tick.
      if (isNew && this.init.now() - (this.lastPresence.get(room) ?? 0) > 1000) void this.announce(room, 'here')
    }
    this.emitMembers(room)
    if (decoded.kind !== 'message') return
    const stored: StoredMessage = { ...decoded, id: `${decoded.author}/${message.sequenceNumber}`, receivedAt: this.init.now(), mine: false }
    await this.init.store.append(stored)
    this.init.emit({ type: 'room.message', detail: stored })
  }

  private async tick (): Promise<void> {
    const now = this.init.now()
    for (const room of this.state.rooms) {
      const roomMembers = this.members.get(room)
      let changed = false
      for (const [peer, member] of roomMembers ?? []) {
        if (now - member.lastSeen > this.init.memberTimeoutMs) {
          roomMembers?.delete(peer)
          changed = true
        }
      }
      if (changed) this.emitMembers(room)
      await this.announce(room, 'here')
    }
  }

  private emitMembers (room: string): void {
    this.init.emit({ type: 'room.members', detail: { room, members: this.memberList(room) } })
  }

  private emitList (): void {
    this.init.emit({ type: 'room.list', detail: this.list() })
  }
}
