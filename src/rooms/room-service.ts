import { TopicValidatorResult, type GossipSub, type Message } from '@libp2p/gossipsub'
import type { PrivateKey } from '@libp2p/interface'
import { logger } from '@libp2p/logger'
import { CID } from 'multiformats/cid'
import { HISTORY_LIMIT_RANGE } from './limits.ts'
import { InvalidChatInputError, NotInRoomError } from './errors.ts'
import { DEFAULT_SYNC_LIMITS, newSyncCounts, syncHistory, type SyncCounts, type SyncLimits } from './history-sync.ts'
import { createEntry, MAX_PREV, type SignedEntry } from './log-entry.ts'
import { checkNick, checkRoomName, checkText } from './message.ts'
import { buildHistoryIndex } from './history-index.ts'
import { encodePresence, type PresenceKind } from './presence.ts'
import { RoomLog } from './room-log.ts'
import { checkTopicMessage } from './topic-check.ts'
import type { TopicMessage } from './wire.ts'
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
  /** History entries stamped more than 5 minutes ahead. */
  future: number
  /** What history syncs refused or could not get, by reason. */
  history: SyncCounts
}

/** Events for the UI; the Service Worker broadcasts them to every open page. */
export type RoomEvent =
  | { type: 'room.message', detail: LiveMessage }
  | { type: 'room.members', detail: { room: string, members: RoomMember[] } }
  | { type: 'room.list', detail: RoomSummary[] }
  /** Older history arrived (a sync): the page reads the room's history again. */
  | { type: 'room.history', detail: { room: string, heads: string[] } }

/**
 * A message as it arrives, with its place in the room's shared order: it goes before the
 * message whose id is `before` (absent: after the last). A view that inserts it there shows
 * what every member shows, and what the history shows when the room is opened again.
 */
export interface LiveMessage extends StoredMessage {
  before?: string
  /** The room's heads once it is added (its newest entries, display order). */
  heads: string[]
}

/** Where history blocks are kept and fetched: the node's `Blocks` (local first, then peers). */
export interface RoomHistoryBlocks {
  get(cid: CID, options?: { signal?: AbortSignal }): Promise<Uint8Array>
  put(cid: CID, bytes: Uint8Array): Promise<void>
}

/** What a RoomService needs. */
export interface RoomServiceInit {
  pubsub: GossipSub
  peerId: string
  /** Signs this node's history entries. */
  privateKey: PrivateKey
  history: RoomHistoryBlocks
  /** How far back history syncs go (default: 1000 messages or 7 days). */
  syncLimits?: Partial<SyncLimits>
  /** How long one history block may take to arrive (default 10 s). */
  blockTimeoutMs?: number
  /**
   * Makes sure this node is connected to a member that announced history it lacks, so the
   * exchange can ask it (a member seen only through the relay's gossip is not yet a peer).
   */
  reach?: (peerId: string) => Promise<void>
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
 * Chat rooms over gossipsub, one topic per room (the name verbatim), with history. A message
 * is a signed DAG-CBOR block linking the heads its author had seen (a Merkle clock, see
 * `room-log.ts`); it is published on the topic and kept as a block, so members that were
 * away fetch what they lack by CID, walking `prev` back from the heads others announce in
 * their presence messages. Keeps the member list, refuses (and counts) malformed, oversized,
 * unsigned, spoofed, future and flooding messages, and keeps joined rooms, their heads and
 * the nickname in its store. Old version-1 messages are shown live, never kept.
 */
export class RoomService {
  private readonly init: Required<Omit<RoomServiceInit, 'gossipDrops' | 'syncLimits' | 'reach'>> & Pick<RoomServiceInit, 'gossipDrops' | 'reach'> & { syncLimits: SyncLimits }
  private state: RoomState
  private readonly members = new Map<string, Map<string, RoomMember>>()
  private readonly decoded = new WeakMap<Uint8Array, TopicMessage>()
  private readonly limiter: RateLimiter
  private readonly counts: Omit<DropCounts, 'unsigned'> = { malformed: 0, oversized: 0, spoofed: 0, flooding: 0, future: 0, history: newSyncCounts() }
  private readonly logs = new Map<string, RoomLog>()
  /** Heads heard of and not yet synced, per room, with who announced them; one sync runs per room at a time. */
  private readonly wanted = new Map<string, Map<string, { cid: CID, from?: string }>>()
  /** The newest history index announced to each room that this node lacks heads of. */
  private readonly wantedIndex = new Map<string, CID>()
  /** This node's own index per room, made again only when the heads changed. */
  private readonly ownIndex = new Map<string, { heads: string, cid: CID }>()
  private readonly syncing = new Map<string, Promise<void>>()
  private readonly abort = new AbortController()
  private presenceTimer: ReturnType<typeof setInterval> | undefined
  private readonly lastPresence = new Map<string, number>()
  private readonly onMessage = (event: CustomEvent<Message>): void => { this.receive(event.detail).catch(err => log.error('receiving a room message failed: %s', err)) }

  constructor (init: RoomServiceInit) {
    const presenceIntervalMs = init.presenceIntervalMs ?? 20_000
    this.init = {
      ...init,
      syncLimits: { ...DEFAULT_SYNC_LIMITS, now: init.now ?? (() => Date.now()), ...init.syncLimits },
      presenceIntervalMs,
      memberTimeoutMs: init.memberTimeoutMs ?? presenceIntervalMs * 3,
      messagesPerSecond: init.messagesPerSecond ?? 5,
      blockTimeoutMs: init.blockTimeoutMs ?? 10_000,
      now: init.now ?? (() => Date.now())
    }
    this.limiter = new RateLimiter({ perSecond: this.init.messagesPerSecond, burst: this.init.messagesPerSecond * 4 }, this.init.now)
    this.state = { rooms: [], nick: defaultNick(init.peerId) }
  }

  /** Loads the saved rooms, subscribes to them again and announces this node in each. */
  async start (): Promise<void> {
    this.state = (await this.init.store.load()) ?? this.state
    this.init.pubsub.addEventListener('message', this.onMessage)
    for (const room of this.state.rooms) {
      this.logs.set(room, new RoomLog())
      // The stored history comes back from the blockstore (and what is missing, from peers).
      this.want(room, (this.state.heads?.[room] ?? []).map(head => CID.parse(head)))
    }
    for (const room of this.state.rooms) this.subscribe(room)
    for (const room of this.state.rooms) await this.announce(room, 'join')
    this.presenceTimer = setInterval(() => { void this.tick() }, this.init.presenceIntervalMs)
    this.emitList()
  }

  /** Stops announcing; the rooms stay joined in the store (the next start rejoins them). */
  stop (): void {
    this.abort.abort()
    clearInterval(this.presenceTimer)
    this.init.pubsub.removeEventListener('message', this.onMessage)
    for (const room of this.state.rooms) this.init.pubsub.topicValidators.delete(room)
  }

  get nick (): string { return this.state.nick }
  /** How many messages of history each room syncs and shows (a setting, default 1000). */
  get historyLimit (): number { return this.state.historyLimit ?? this.init.syncLimits.maxEntries }

  /** Sets how many messages of history rooms sync and show, from 10 to 10 000. */
  async setHistoryLimit (limit: number): Promise<void> {
    if (!Number.isInteger(limit) || limit < HISTORY_LIMIT_RANGE.min || limit > HISTORY_LIMIT_RANGE.max) throw new InvalidChatInputError(`the history limit is a whole number from ${HISTORY_LIMIT_RANGE.min} to ${HISTORY_LIMIT_RANGE.max}`)
    this.state.historyLimit = limit
    await this.init.store.save(this.state)
  }
  get rooms (): string[] { return [...this.state.rooms] }

  /** Joins a room (subscribes to its topic) and announces this node there. */
  async join (room: string): Promise<void> {
    checkRoomName(room)
    if (this.state.rooms.includes(room)) return
    this.state.rooms.push(room)
    this.logs.set(room, new RoomLog())
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
    if (this.state.heads !== undefined) delete this.state.heads[room]
    this.logs.delete(room)
    this.wanted.delete(room)
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

  /**
   * Sends a chat message: a history entry linking the room's current heads, signed, kept as a
   * block and published. Resolves to it and the number of peers it went to directly.
   */
  async send (room: string, text: string): Promise<{ message: LiveMessage, recipients: number }> {
    if (!this.state.rooms.includes(room)) throw new NotInRoomError(`join room ${JSON.stringify(room)} before sending to it`)
    const log = this.log(room)
    const signed = await createEntry({ room, nick: this.state.nick, text: checkText(text), ts: this.init.now(), prev: log.heads().slice(-MAX_PREV) }, this.init.privateKey, this.init.peerId)
    await this.init.history.put(signed.cid, signed.bytes)
    const placed = log.insert(signed)
    await this.saveHeads(room)
    const { recipients } = await this.init.pubsub.publish(room, signed.bytes)
    return { message: this.shown(room, signed, placed) ?? { ...this.toStored(signed), heads: this.heads(room) }, recipients: recipients.length }
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

  /** The newest messages of a room's history, oldest first (causal order, identical on every member). */
  async history (room: string, limit = this.historyLimit): Promise<StoredMessage[]> {
    checkRoomName(room)
    return this.log(room).ordered().slice(-limit).map(signed => this.toStored(signed))
  }

  /** The heads of a room's history (its current state, as CIDs). */
  heads (room: string): string[] {
    return this.log(room).heads().map(String)
  }

  /** Messages refused so far, by reason. */
  drops (): DropCounts {
    return { ...this.counts, history: { ...this.counts.history }, unsigned: this.init.gossipDrops?.unsigned ?? 0 }
  }

  private log (room: string): RoomLog {
    const log = this.logs.get(room)
    if (log === undefined) throw new NotInRoomError(`not in room ${JSON.stringify(room)}`)
    return log
  }

  private toStored (signed: SignedEntry): StoredMessage {
    const { entry } = signed
    const cid = signed.cid.toString()
    return { v: 2, kind: 'message', room: entry.room, author: entry.author, nick: entry.nick, text: entry.text, timestamp: entry.ts, id: cid, cid, receivedAt: entry.ts, mine: entry.author === this.init.peerId }
  }

  private async saveHeads (room: string): Promise<void> {
    if (!this.state.rooms.includes(room)) return
    this.state.heads = { ...this.state.heads, [room]: this.heads(room) }
    await this.init.store.save(this.state)
  }

  private async announce (room: string, kind: PresenceKind): Promise<void> {
    this.lastPresence.set(room, this.init.now())
    const heads = this.logs.get(room)?.heads().slice(-MAX_PREV) ?? []
    const index = heads.length > 0 ? await this.index(room).catch(err => { log('no history index for %s: %s', room, err) }) : undefined
    const presence = encodePresence({ v: 2, kind, room, author: this.init.peerId, nick: this.state.nick, ts: this.init.now(), heads, ...(index === undefined ? {} : { index }) })
    await this.init.pubsub.publish(room, presence).catch(err => log('presence in %s not sent: %s', room, err))
  }

  /** This node's history index of a room (its newest entries, up to the history limit), stored as blocks. */
  private async index (room: string): Promise<CID | undefined> {
    const roomLog = this.logs.get(room)
    if (roomLog === undefined || roomLog.size === 0) return undefined
    const headsKey = roomLog.heads().join()
    const cached = this.ownIndex.get(room)
    if (cached?.heads === headsKey) return cached.cid
    const blocks = await buildHistoryIndex(room, roomLog.ordered().map(s => s.cid).reverse().slice(0, this.historyLimit))
    for (const block of blocks) await this.init.history.put(block.cid, block.bytes)
    this.ownIndex.set(room, { heads: headsKey, cid: blocks[0].cid })
    return blocks[0].cid
  }

  /** Heads to sync (announced by `from`); starts the room's sync unless one runs (it takes them next). */
  private want (room: string, heads: CID[], from?: string, index?: CID): void {
    const roomLog = this.logs.get(room)
    if (roomLog === undefined) return
    const wanted = this.wanted.get(room) ?? new Map<string, { cid: CID, from?: string }>()
    for (const head of heads) if (!roomLog.has(head)) wanted.set(head.toString(), { cid: head, ...(from === undefined ? {} : { from }) })
    this.wanted.set(room, wanted)
    if (index !== undefined && wanted.size > 0) this.wantedIndex.set(room, index)
    if (wanted.size === 0 || this.syncing.has(room)) return
    const run = this.runSync(room).catch(err => log.error('history sync of %s failed: %s', room, err)).finally(() => this.syncing.delete(room))
    this.syncing.set(room, run)
  }

  private async runSync (room: string): Promise<void> {
    for (let wanted = this.wanted.get(room); wanted !== undefined && wanted.size > 0; wanted = this.wanted.get(room)) {
      const heads = [...wanted.values()].map(w => w.cid)
      const announcers = new Set([...wanted.values()].flatMap(w => w.from === undefined ? [] : [w.from]))
      const index = this.wantedIndex.get(room)
      this.wantedIndex.delete(room)
      wanted.clear()
      const roomLog = this.logs.get(room)
      if (roomLog === undefined || this.abort.signal.aborted) return
      await Promise.all([...announcers].map(async peer => this.init.reach?.(peer).catch(err => log('could not reach %s for history: %s', peer, err))))
      const getBlock = async (cid: CID): Promise<Uint8Array> => {
        const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.init.blockTimeoutMs)])
        const bytes = await this.init.history.get(cid, { signal })
        return bytes
      }
      const added = await syncHistory(room, roomLog, heads, getBlock, { ...this.init.syncLimits, maxEntries: this.historyLimit }, this.counts.history, index)
      if (added.length === 0) continue
      log('synced %d history entries of %s', added.length, room)
      await this.saveHeads(room)
      this.init.emit({ type: 'room.history', detail: { room, heads: this.heads(room) } })
    }
  }

  private subscribe (room: string): void {
    this.init.pubsub.topicValidators.set(room, (_peer, message) => this.validate(room, message))
    this.init.pubsub.subscribe(room)
  }

  /** The room topic's validator: runs before gossipsub delivers or forwards a message. */
  private async validate (room: string, message: Message): Promise<TopicValidatorResult> {
    if (message.type !== 'signed') return TopicValidatorResult.Reject
    const author = message.from.toString()
    if (!this.limiter.take(author)) {
      this.counts.flooding++
      return TopicValidatorResult.Ignore
    }
    const verdict = await checkTopicMessage(message.data, { room, from: author, now: this.init.now(), maxFutureMs: this.init.syncLimits.maxFutureMs })
    if (!verdict.ok) {
      this.counts[verdict.reason]++
      return TopicValidatorResult.Reject
    }
    this.decoded.set(message.data, verdict.decoded)
    return TopicValidatorResult.Accept
  }

  private async receive (message: Message): Promise<void> {
    const decoded = this.decoded.get(message.data)
    if (decoded === undefined || message.type !== 'signed' || !this.state.rooms.includes(message.topic)) return
    const room = message.topic
    if (decoded.type === 'presence') {
      this.heard(room, decoded.presence.author, decoded.presence.nick, decoded.presence.kind === 'leave')
      this.want(room, decoded.presence.heads, decoded.presence.author, decoded.presence.index)
      return
    }
    if (decoded.type === 'legacy') {
      const old = decoded.message
      this.heard(room, old.author, old.nick, old.kind === 'leave')
      // Version 1: shown live, never part of the history.
      if (old.kind === 'message') this.init.emit({ type: 'room.message', detail: { ...old, id: `${old.author}/${message.sequenceNumber}`, receivedAt: this.init.now(), mine: false, heads: this.heads(room) } })
      return
    }
    const { signed } = decoded
    this.heard(room, signed.entry.author, signed.entry.nick, false)
    const roomLog = this.logs.get(room)
    if (roomLog === undefined) return
    await this.init.history.put(signed.cid, signed.bytes)
    const placed = roomLog.insert(signed)
    if (!placed.added) return
    await this.saveHeads(room)
    this.shown(room, signed, placed)
    this.want(room, signed.entry.prev, signed.entry.author)
  }

  /**
   * Tells the pages about an entry just added: where it goes in the shared order, or, when
   * it moved entries already shown (it filled a gap), that the history must be read again.
   * Returns the message with its place, if it has one.
   */
  private shown (room: string, signed: SignedEntry, placed: { moved: boolean, next?: CID }): LiveMessage | undefined {
    if (placed.moved) {
      this.init.emit({ type: 'room.history', detail: { room, heads: this.heads(room) } })
      return undefined
    }
    const message: LiveMessage = { ...this.toStored(signed), heads: this.heads(room) }
    if (placed.next !== undefined) message.before = placed.next.toString()
    this.init.emit({ type: 'room.message', detail: message })
    return message
  }

  /** Updates the member list from something a member sent. */
  private heard (room: string, author: string, nick: string, leaving: boolean): void {
    const roomMembers = this.members.get(room) ?? new Map<string, RoomMember>()
    this.members.set(room, roomMembers)
    if (leaving) {
      roomMembers.delete(author)
    } else {
      const isNew = !roomMembers.has(author)
      roomMembers.set(author, { peerId: author, nick, lastSeen: this.init.now(), self: false })
      // Someone new: tell them we are here (and our heads) rather than making them wait for our next tick.
      if (isNew && this.init.now() - (this.lastPresence.get(room) ?? 0) > 1000) void this.announce(room, 'here')
    }
    this.emitMembers(room)
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
