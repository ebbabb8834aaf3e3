import type { GossipSub, Message } from '@libp2p/gossipsub'
import { FsBlockstore } from 'blockstore-fs'
import { concat } from 'uint8arrays/concat'
import { equals } from 'uint8arrays/equals'
import type { Libp2p, PeerId } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'
import { MemoryBlockstore } from '../content/blockstore/memory-blockstore.ts'
import type { BitswapService } from '../exchange/bitswap.ts'
import { DEFAULT_SYNC_LIMITS, newSyncCounts, syncHistory } from '../rooms/history-sync.ts'
import { MAX_PREV, readEntry, type SignedEntry } from '../rooms/log-entry.ts'
import { buildHistoryIndex } from '../rooms/history-index.ts'
import { encodePresence } from '../rooms/presence.ts'
import { RoomLog } from '../rooms/room-log.ts'
import { isRoomTopic } from '../rooms/message.ts'
import { checkTopicMessage, type TopicVerdict } from '../rooms/topic-check.ts'
import { DroppedEntries } from './dropped-entries.ts'

/** How much the archive keeps, and where. */
export interface ArchiveLimits {
  /** Bytes of history kept per room; the oldest entries go first. */
  roomBytes: number
  /** Bytes kept for all rooms together. */
  totalBytes: number
  /** A folder to keep the entries in across restarts (`blockstore-fs`); absent: memory only. */
  dir?: string
}

/** Defaults: 16 MiB per room, 256 MiB in all. */
export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = { roomBytes: 16 * 1024 * 1024, totalBytes: 256 * 1024 * 1024 }

/** The nickname the archive announces itself under. */
export const ARCHIVE_NICK = 'archive'

interface ArchivedRoom {
  log: RoomLog
  bytes: number
  /** Entries by timestamp, oldest first: the order they are dropped in. */
  byAge: SignedEntry[]
  /** The index announced for the current heads (its blocks are served, not counted). */
  index?: { heads: string, blocks: CID[] }
}

/**
 * The relay's room archive (`--archive-rooms`): it keeps the history entries of the rooms
 * the relay forwards — checked as members check them (schema, the author's signature, the
 * gossip signer, the room) — serves them over Bitswap, and announces each room's heads in
 * its own presence (nick "archive"), so a member who comes when every browser is closed gets
 * the history from it. It also fetches entries it lacks from members' announced heads. Served
 * from memory, within a byte cap per room and in total, the oldest dropped first; with a
 * `dir`, every entry is also written there and read back at the next start.
 */
export class RoomArchive {
  readonly blockstore = new MemoryBlockstore()
  readonly counts = { archived: 0, dropped: 0, refused: 0, history: newSyncCounts() }
  private readonly node: Libp2p<{ pubsub: GossipSub }>
  private readonly limits: ArchiveLimits
  private readonly log: (line: string) => void
  private readonly bitswap: BitswapService
  private readonly judged: (message: Message) => TopicVerdict | undefined
  private readonly rooms = new Map<string, ArchivedRoom>()
  private total = 0
  /** Entries dropped for space, so they are not fetched back. */
  private readonly dropped = new DroppedEntries()
  private timer: ReturnType<typeof setInterval> | undefined
  private readonly disk: FsBlockstore | undefined
  private readonly onMessage = (event: CustomEvent<Message>): void => { void this.receive(event.detail) }
  /** A member subscribing to an archived room hears its heads a moment later (once its subscription is known). */
  private readonly onSubscription = (event: CustomEvent<{ subscriptions: Array<{ topic: string, subscribe: boolean }> }>): void => {
    for (const { topic, subscribe } of event.detail.subscriptions) {
      if (subscribe && this.rooms.has(topic)) setTimeout(() => { this.announce(topic) }, 200).unref?.()
    }
  }

  /**
   * `bitswap` is the relay's, serving (among others) this archive's `blockstore`; `judged`
   * gives the verdict the relay's forwarding already reached on a message, if any (a message
   * it did not judge is checked here).
   */
  constructor (node: Libp2p<{ pubsub: GossipSub }>, limits: ArchiveLimits, log: (line: string) => void, bitswap: BitswapService, judged: (message: Message) => TopicVerdict | undefined = () => undefined) {
    this.node = node
    this.limits = limits
    this.log = log
    this.bitswap = bitswap
    this.judged = judged
    this.disk = limits.dir === undefined ? undefined : new FsBlockstore(limits.dir)
  }

  async start (presenceIntervalMs = 15_000): Promise<void> {
    if (this.disk !== undefined) await this.load(this.disk)
    this.node.services.pubsub.addEventListener('message', this.onMessage)
    this.node.services.pubsub.addEventListener('subscription-change', this.onSubscription)
    this.timer = setInterval(() => { this.announceAll() }, presenceIntervalMs)
    this.timer.unref?.()
  }

  async stop (): Promise<void> {
    clearInterval(this.timer)
    this.node.services.pubsub.removeEventListener('message', this.onMessage)
    this.node.services.pubsub.removeEventListener('subscription-change', this.onSubscription)
    await this.disk?.close()
  }

  /** Reads back what an earlier run kept (a block that is not a valid entry is deleted). */
  private async load (disk: FsBlockstore): Promise<void> {
    await disk.open()
    let loaded = 0
    for await (const { cid, bytes } of disk.getAll()) {
      const block = await toBytes(bytes)
      try {
        const signed = await readEntry(block)
        // The store names blocks by multihash (it hands them back as raw CIDs).
        if (!equals(signed.cid.multihash.bytes, cid.multihash.bytes)) throw new Error('not the block its name says')
        await this.keep(signed.entry.room, signed, false)
        loaded++
      } catch (err) {
        this.log(`archive: dropping ${cid.toString()} from ${this.limits.dir ?? ''}: ${(err as Error).message}`)
        await disk.delete(cid)
      }
    }
    this.log(`archive: ${loaded} entries read back from ${this.limits.dir ?? ''}`)
  }

  /** Bytes kept, all rooms. */
  get bytes (): number {
    return this.total
  }

  /** A room's archived history, in display order. */
  history (room: string): SignedEntry[] {
    return this.rooms.get(room)?.log.ordered() ?? []
  }

  private room (name: string): ArchivedRoom {
    let room = this.rooms.get(name)
    if (room === undefined) {
      room = { log: new RoomLog(), bytes: 0, byAge: [] }
      this.rooms.set(name, room)
    }
    return room
  }

  private async receive (message: Message): Promise<void> {
    if (message.type !== 'signed' || !isRoomTopic(message.topic)) return
    const from = message.from.toString()
    const verdict = this.judged(message) ?? await checkTopicMessage(message.data, { room: message.topic, from, now: Date.now(), maxFutureMs: DEFAULT_SYNC_LIMITS.maxFutureMs })
    if (!verdict.ok) {
      this.counts.refused++
      return
    }
    const { decoded } = verdict
    if (decoded.type === 'entry') {
      await this.keep(message.topic, decoded.signed)
      await this.fetchMissing(message.topic, message.from, decoded.signed.entry.prev)
    } else if (decoded.type === 'presence') {
      // Someone arriving: tell them the heads now, not at the next tick.
      if (decoded.presence.kind === 'join') this.announce(message.topic)
      await this.fetchMissing(message.topic, message.from, decoded.presence.heads, decoded.presence.index)
    }
  }

  /**
   * Entries this archive lacks under `heads`, over Bitswap: from `announcer` (who sent them
   * and has that history), everyone else only if it does not answer.
   */
  private async fetchMissing (name: string, announcer: PeerId, heads: CID[], index?: CID): Promise<void> {
    const room = this.room(name)
    const missing = heads.filter(cid => !room.log.has(cid) && !this.dropped.has(cid))
    if (missing.length === 0) return
    const scratch = new RoomLog()
    for (const known of room.log.ordered()) scratch.add(known)
    const getBlock = async (cid: CID): Promise<Uint8Array> => {
      if (this.dropped.has(cid)) throw new Error('dropped for space')
      return (await this.bitswap.retrieveFrom(cid, [announcer], { signal: AbortSignal.timeout(10_000) })).bytes
    }
    const added = await syncHistory(name, scratch, missing, getBlock, DEFAULT_SYNC_LIMITS, this.counts.history, index)
    for (const signed of added) await this.keep(name, signed)
  }

  private async keep (name: string, signed: SignedEntry, persist = true): Promise<void> {
    const room = this.room(name)
    if (!room.log.add(signed)) return
    await this.blockstore.put(signed.cid, signed.bytes)
    if (persist) await this.disk?.put(signed.cid, signed.bytes)
    room.bytes += signed.bytes.length
    this.total += signed.bytes.length
    const at = room.byAge.findIndex(e => e.entry.ts > signed.entry.ts)
    room.byAge.splice(at === -1 ? room.byAge.length : at, 0, signed)
    this.counts.archived++
    while (room.bytes > this.limits.roomBytes) await this.dropOldest(room)
    while (this.total > this.limits.totalBytes) {
      // The room whose oldest entry is oldest of all gives it up.
      const oldest = [...this.rooms.values()].filter(r => r.byAge.length > 0).sort((a, b) => a.byAge[0].entry.ts - b.byAge[0].entry.ts)[0]
      if (oldest === undefined) break
      await this.dropOldest(oldest)
    }
  }

  private async dropOldest (room: ArchivedRoom): Promise<void> {
    const oldest = room.byAge.shift()
    if (oldest === undefined) return
    room.log.remove(oldest.cid)
    this.dropped.add(oldest.entry.room, oldest.cid)
    room.bytes -= oldest.bytes.length
    this.total -= oldest.bytes.length
    await this.blockstore.delete(oldest.cid)
    await this.disk?.delete(oldest.cid)
    this.counts.dropped++
  }

  /** Tells each room the heads of its archived history. */
  private announceAll (): void {
    for (const name of this.rooms.keys()) this.announce(name)
  }

  private announce (name: string): void {
    void this.announceWithIndex(name).catch(err => this.log(`archive presence in ${JSON.stringify(name)} not sent: ${(err as Error).message}`))
  }

  /** The heads and an index of the newest 1000 entries (served from the archive's store). */
  private async announceWithIndex (name: string): Promise<void> {
    const room = this.rooms.get(name)
    const heads = room?.log.heads().slice(-MAX_PREV) ?? []
    if (room === undefined || heads.length === 0 || !this.node.services.pubsub.getTopics().includes(name)) return
    const key = heads.join()
    if (room.index?.heads !== key) {
      const blocks = await buildHistoryIndex(name, room.log.ordered().map(s => s.cid).reverse().slice(0, DEFAULT_SYNC_LIMITS.maxEntries))
      if (room.index !== undefined) for (const old of room.index.blocks) await this.blockstore.delete(old)
      for (const block of blocks) await this.blockstore.put(block.cid, block.bytes)
      room.index = { heads: key, blocks: blocks.map(b => b.cid) }
    }
    const presence = encodePresence({ v: 2, kind: 'here', room: name, author: this.node.peerId.toString(), nick: ARCHIVE_NICK, ts: Date.now(), heads, index: room.index.blocks[0] })
    await this.node.services.pubsub.publish(name, presence)
  }
}

/** A stored block's bytes, whether the store hands them whole or in pieces. */
async function toBytes (bytes: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  if (bytes instanceof Uint8Array) return bytes
  const parts: Uint8Array[] = []
  for await (const part of bytes) parts.push(part)
  return concat(parts)
}
