import type { PeerId } from '@libp2p/interface'
import { base64 } from 'multiformats/bases/base64'
import type { CID } from 'multiformats/cid'

/** A wantlist entry as `@helia/bitswap` 4.0.19 queues it (the protobuf fields). */
export interface QueuedWant {
  cid: Uint8Array
  priority: number
  cancel?: boolean
  wantType?: number
  sendDontHave?: boolean
}

/** An outgoing message as `@helia/bitswap` 4.0.19 queues it, keyed by base64 multihash. */
export interface QueuedMessage {
  full: boolean
  pendingBytes: number
  wantlist: Map<string, QueuedWant>
  blocks: Map<string, { data: Uint8Array }>
  blockPresences: Map<string, unknown>
}

/** Sends a message to a peer the way the library's network does. */
export type SendQueued = (peer: PeerId, message: QueuedMessage) => Promise<void>

/** Protobuf `WantType.Block`. */
const WANT_BLOCK = 0

/**
 * The CANCELs `@helia/bitswap` 4.0.19 never sends. It marks a want cancelled when its block
 * arrives or its caller gives up, but then skips cancelled entries when it builds the next
 * message, so every peer that was asked keeps the want until the connection ends. Such a
 * peer checks its store for each stale want at every message it gets from this node, and
 * sends the block later if it ever stores it — to a node that no longer wants it.
 *
 * This notes which peer was sent which want (from the messages going out) and sends a
 * CANCEL to every other asked peer when a block arrives, and to every asked peer when a want
 * is given up. The peer that sent a block is not sent one: it drops the want itself.
 */
export class WantCancels {
  private readonly send: SendQueued
  /** Per peer: the wants it was sent and not cancelled, base64 multihash → CID bytes. */
  private readonly asked = new Map<string, { peer: PeerId, wants: Map<string, Uint8Array> }>()
  /** Cancels waiting to go out, per peer. */
  private pending = new Map<string, { peer: PeerId, wants: Map<string, Uint8Array> }>()

  constructor (send: SendQueued) {
    this.send = send
  }

  /** Notes the wants and cancels of a message going to `peer`. */
  noteSent (peer: PeerId, message: Pick<QueuedMessage, 'full' | 'wantlist'>): void {
    const key = peer.toString()
    let entry = this.asked.get(key)
    if (message.full || entry === undefined) {
      entry = { peer, wants: new Map() }
      this.asked.set(key, entry)
    }
    for (const [want, { cid, cancel }] of message.wantlist) {
      if (cancel === true) entry.wants.delete(want)
      else entry.wants.set(want, cid)
    }
    if (entry.wants.size === 0) this.asked.delete(key)
  }

  /** A block arrived from `sender`: every other peer that was asked for it gets a CANCEL. */
  received (cid: CID, sender: PeerId): void {
    this.cancel(base64.encode(cid.multihash.bytes), sender.toString())
  }

  /** A want was given up (or answered some other way): every peer asked for it gets a CANCEL. */
  gaveUp (cid: CID): void {
    this.cancel(base64.encode(cid.multihash.bytes), undefined)
  }

  /** Forgets a peer that disconnected: its side forgets the wants too. */
  forget (peer: PeerId): void {
    this.asked.delete(peer.toString())
    this.pending.delete(peer.toString())
  }

  /** Wants noted as sent and not cancelled, over all peers. */
  outstanding (): number {
    let count = 0
    for (const { wants } of this.asked.values()) count += wants.size
    return count
  }

  private cancel (want: string, except: string | undefined): void {
    for (const [key, entry] of this.asked) {
      const cid = entry.wants.get(want)
      if (cid === undefined) continue
      entry.wants.delete(want)
      if (entry.wants.size === 0) this.asked.delete(key)
      if (key === except) continue
      let queued = this.pending.get(key)
      if (queued === undefined) {
        queued = { peer: entry.peer, wants: new Map() }
        this.pending.set(key, queued)
        // Everything cancelled during this task goes to each peer as one message.
        if (this.pending.size === 1) setTimeout(() => { this.flush() }, 0)
      }
      queued.wants.set(want, cid)
    }
  }

  private flush (): void {
    const pending = this.pending
    this.pending = new Map()
    for (const { peer, wants } of pending.values()) {
      const wantlist = new Map<string, QueuedWant>()
      for (const [want, cid] of wants) wantlist.set(want, { cid, priority: 1, cancel: true, wantType: WANT_BLOCK, sendDontHave: false })
      // A cancel that cannot be sent leaves only a stale want behind, as before.
      this.send(peer, { full: false, pendingBytes: 0, wantlist, blocks: new Map(), blockPresences: new Map() }).catch(() => {})
    }
  }
}
