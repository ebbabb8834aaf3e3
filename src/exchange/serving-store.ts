import { NotFoundError } from 'interface-store'
import type { Blockstore } from 'interface-blockstore'
import type { CID } from 'multiformats/cid'
import { toString } from 'uint8arrays/to-string'
import type { BaseBlockstore } from '../content/blockstore/base-blockstore.ts'
import { flatText } from '../lib/flat-text.ts'

/** Blocks read ahead and not yet sent, at most (the oldest is dropped first): 32 MiB at worst. */
export const READ_AHEAD_BLOCKS = 16
/** How long a block read ahead waits to be sent before it is dropped. */
export const READ_AHEAD_MS = 10_000
/** Blocks remembered as not stored, at most (the oldest is forgotten first). */
export const ABSENT_BLOCKS = 4096

/** What the served store needs. */
export interface ServingStoreInit {
  /** Without `onStored`, nothing is remembered as missing (a block could arrive unseen). */
  blockstore: Pick<BaseBlockstore, 'getBytes'> & Partial<Pick<BaseBlockstore, 'onStored'>>
  /** Whether to serve stored blocks now (the "share" setting); off, nothing is found. */
  sharing: () => boolean
  /** Larger blocks are not served. */
  maxBlockBytes: number
}

interface Reading {
  bytes: Promise<Uint8Array | undefined>
  at: number
}

/**
 * The blockstore Bitswap serves from: nothing while sharing is off, no block over the limit,
 * reads that start when a peer's wants arrive, and blocks known not to be stored answered
 * from memory.
 *
 * Why: `@helia/bitswap` answers a peer's wants one block at a time — `has`, then `get`, two
 * IndexedDB requests each — and sends nothing until every want of the round has been read.
 * Meanwhile the link sits idle. Here `readAhead` starts reading every wanted block at once
 * when the message arrives; `has` waits for that one read (or starts it) and `get` takes its
 * bytes, so a round costs one request per block and its reads overlap the previous send.
 *
 * And it checks every want it could not answer again at each message from that peer — even
 * a message that only carries blocks — and wants stay until cancelled, which `@helia/bitswap`
 * 4.0.19 never sends. A peer that once fetched a large file while connected left hundreds of
 * such wants: hundreds of IndexedDB reads for each block it sent afterwards. So a block found
 * missing is remembered as missing until the store writes it (`onStored`).
 */
export class ServingStore implements Pick<Blockstore, 'has' | 'get'> {
  private readonly init: ServingStoreInit
  private readonly readings = new Map<string, Reading>()
  /** Multihashes (base64) found not stored, and not written since. */
  private readonly absent = new Set<string>()
  /** Reads under way, and whether their block was written meanwhile (then it is not remembered as missing). */
  private readonly underWay = new Map<string, { written: boolean }>()
  private readonly now: () => number

  constructor (init: ServingStoreInit, now: () => number = () => Date.now()) {
    this.init = init
    this.now = now
    init.blockstore.onStored?.(cids => {
      for (const cid of cids) {
        const key = keyOf(cid)
        this.absent.delete(key)
        const read = this.underWay.get(key)
        if (read !== undefined) read.written = true
      }
    })
  }

  /** Starts reading blocks a peer wants, up to `READ_AHEAD_BLOCKS`, so they are in memory when their turn comes. */
  readAhead (cids: Iterable<CID>): void {
    if (!this.init.sharing()) return
    for (const cid of cids) {
      // A message may want hundreds of blocks: past the cap they are read in their turn, so
      // no message can put more than READ_AHEAD_BLOCKS reads (and their bytes) in flight.
      if (this.readings.size >= READ_AHEAD_BLOCKS) return
      this.reading(cid)
    }
  }

  /** Drops reads of blocks a peer no longer wants. */
  forget (cids: Iterable<CID>): void {
    for (const cid of cids) this.readings.delete(keyOf(cid))
  }

  /** Blocks remembered as not stored. */
  knownAbsent (): number {
    return this.absent.size
  }

  /** Blocks read ahead and not yet taken. */
  pending (): number {
    return this.readings.size
  }

  async has (cid: CID): Promise<boolean> {
    if (!this.init.sharing()) return false
    return await this.reading(cid).bytes !== undefined
  }

  async * get (cid: CID): AsyncGenerator<Uint8Array> {
    if (!this.init.sharing()) throw new NotFoundError('sharing is off')
    const bytes = await this.reading(cid).bytes
    this.readings.delete(keyOf(cid))
    if (bytes === undefined) throw new NotFoundError(`block ${cid.toString()} is not stored or is over the Bitswap block limit`)
    yield bytes
  }

  /** The read of `cid` under way, started now if there is none. */
  private reading (cid: CID): Reading {
    this.dropStale()
    const key = keyOf(cid)
    if (this.absent.has(key)) return { bytes: Promise.resolve(undefined), at: this.now() }
    let reading = this.readings.get(key)
    if (reading === undefined) {
      reading = { bytes: this.read(cid, key), at: this.now() }
      // A read nobody takes must not surface as an unhandled rejection; takers still see it fail.
      reading.bytes.catch(() => {})
      this.readings.set(key, reading)
      if (this.readings.size > READ_AHEAD_BLOCKS) this.readings.delete(this.readings.keys().next().value as string)
    }
    return reading
  }

  /** The block's bytes, or undefined when it is not stored or too large to serve. */
  private async read (cid: CID, key: string): Promise<Uint8Array | undefined> {
    const read = { written: false }
    this.underWay.set(key, read)
    try {
      const bytes = await this.init.blockstore.getBytes(cid)
      return bytes.length > this.init.maxBlockBytes ? undefined : bytes
    } catch (err) {
      this.readings.delete(key)
      if ((err as Error).name !== 'NotFoundError') throw err
      if (!read.written && this.init.blockstore.onStored !== undefined) this.rememberAbsent(key)
      return undefined
    } finally {
      if (this.underWay.get(key) === read) this.underWay.delete(key)
    }
  }

  private rememberAbsent (key: string): void {
    this.absent.add(key)
    if (this.absent.size > ABSENT_BLOCKS) this.absent.delete(this.absent.values().next().value as string)
  }

  private dropStale (): void {
    const oldest = this.now() - READ_AHEAD_MS
    for (const [key, reading] of this.readings) {
      if (reading.at >= oldest) break
      this.readings.delete(key)
    }
  }
}

/** The key of a block whatever its CID's version or codec: its multihash. */
function keyOf (cid: CID): string {
  return flatText(toString(cid.multihash.bytes, 'base64'))
}
