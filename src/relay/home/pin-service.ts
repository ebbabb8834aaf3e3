import { multiaddr } from '@multiformats/multiaddr'
import { CID } from 'multiformats/cid'
import { PinApiError } from './pin-api-error.ts'
import { fetchPinDag, PinFailure } from './pin-fetch.ts'
import { parseMeta, selectPins, type PinQuery } from './pin-query.ts'
import type { KeptBlocks } from './kept-blocks.ts'
import type { PinRecord, PinRecords, PinRequest } from './pin-records.ts'
import type { Quota, TokenRecord } from './tokens.ts'

/** Pins fetched at once. */
export const PINS_AT_ONCE = 8

/** The API's `PinStatus` object. */
export interface PinStatusBody {
  requestid: string
  status: PinRecord['status']
  created: string
  pin: PinRequest
  delegates: string[]
  info: Record<string, string>
}

/** What the pin service works with. */
export interface PinServiceInit {
  records: PinRecords
  kept: KeptBlocks
  /** A block from the network (the relay's Bitswap), asking `origins` (PeerIds of the pin's origins) first. */
  retrieve: (cid: CID, signal: AbortSignal, origins: string[]) => Promise<Uint8Array>
  /** Dials a client's origin (errors are the caller's to report). */
  dial: (address: string, signal: AbortSignal) => Promise<void>
  /** The node's own addresses, each ending in `/p2p/<id>`: the pins' delegates. */
  delegates: () => string[]
  /** Called with each pin once it is pinned (to announce it). */
  onPinned?: (cid: CID) => void
  /** Called with a pin's root when the pin goes (to stop announcing it). */
  onRemoved?: (cid: CID) => void
  /** The quota of the token with this id (none: it was revoked, and its pins go). */
  quotaOf: (owner: string) => Quota | undefined
  /** A pin fails when no block arrives for this long (ms). */
  stallMs: number
  log: (line: string) => void
}

function bad (details: string): PinApiError {
  return new PinApiError(400, 'BAD_REQUEST', details)
}

/** Checks a `Pin` body and returns it in the shape kept. */
export function readPinRequest (body: unknown): PinRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw bad('the body must be a JSON Pin object: {"cid": "…"}')
  const { cid, name, origins, meta, ...rest } = body as Record<string, unknown>
  const extra = Object.keys(rest)
  if (extra.length > 0) throw bad(`unknown Pin field "${extra[0]}"`)
  if (typeof cid !== 'string') throw bad('"cid" is required (the CID to pin)')
  try {
    CID.parse(cid)
  } catch {
    throw bad(`"cid" is not a CID: "${cid}"`)
  }
  const pin: PinRequest = { cid }
  if (name !== undefined) {
    if (typeof name !== 'string' || name.length > 255) throw bad('"name" is a string of at most 255 characters')
    pin.name = name
  }
  if (origins !== undefined) {
    if (!Array.isArray(origins) || origins.length > 20 || new Set(origins).size !== origins.length) throw bad('"origins" is a list of at most 20 distinct multiaddrs')
    for (const origin of origins) {
      try {
        if (typeof origin !== 'string' || multiaddr(origin).getComponents().at(-1)?.name !== 'p2p') throw new Error('no /p2p/')
      } catch {
        throw bad(`origin ${JSON.stringify(origin)} is not a multiaddr ending in /p2p/<peer id>`)
      }
    }
    pin.origins = origins as string[]
  }
  if (meta !== undefined) pin.meta = parseMeta(meta, 'meta')
  return pin
}

/** The PeerIds the origins end in (`…/p2p/<id>`, as `readPinRequest` checked). */
function originPeers (origins: string[]): string[] {
  return origins.map(origin => multiaddr(origin).getComponents().at(-1)?.value).filter((peer): peer is string => peer !== undefined)
}

/**
 * The home node's pins: what each token asked to keep, fetched in the background (`PINS_AT_ONCE`
 * at a time, in the order asked) through `fetchPinDag`, with quotas checked when a pin is
 * asked for and while its DAG arrives. A pin that fails, is removed or is replaced leaves
 * nothing behind: blocks no other pin reaches are collected once no pin is being fetched.
 * Pins still queued or being fetched when the node stopped resume when it starts.
 */
export class PinService {
  private readonly init: PinServiceInit
  private readonly waiting: string[] = []
  private readonly running = new Map<string, AbortController>()
  private collectWanted = false
  private collecting: Promise<void> | undefined
  private stopped = false

  constructor (init: PinServiceInit) {
    this.init = init
  }

  /** Resumes the pins an earlier run had not finished. */
  start (): void {
    const unfinished = this.init.records.all().filter(r => r.status === 'queued' || r.status === 'pinning').reverse()
    for (const record of unfinished) this.waiting.push(record.requestid)
    if (unfinished.length > 0) this.init.log(`home: resuming ${unfinished.length} unfinished pins`)
    this.pump()
  }

  async stop (): Promise<void> {
    this.stopped = true
    for (const controller of this.running.values()) controller.abort(new Error('the node is stopping'))
    while (this.running.size > 0 || this.collecting !== undefined) await new Promise(resolve => setTimeout(resolve, 20))
  }

  /** The API form of a record. */
  statusOf (record: PinRecord): PinStatusBody {
    return { requestid: record.requestid, status: record.status, created: record.created, pin: record.pin, delegates: this.init.delegates().slice(0, 20), info: record.info }
  }

  /** Bytes and pins a token uses now (failed pins count for nothing: their blocks are gone). */
  usage (owner: string): { bytes: number, pins: number } {
    const live = this.init.records.ownedBy(owner).filter(r => r.status !== 'failed')
    return { bytes: live.reduce((n, r) => n + r.bytes, 0), pins: live.length }
  }

  /** `POST /pins`. */
  async add (token: TokenRecord, pin: PinRequest): Promise<PinRecord> {
    const used = this.usage(token.id)
    if (used.pins >= token.quota.pins) throw new PinApiError(409, 'INSUFFICIENT_FUNDS', `this token may keep ${token.quota.pins} pins and has ${used.pins}; remove some first`)
    if (used.bytes >= token.quota.bytes) throw new PinApiError(409, 'INSUFFICIENT_FUNDS', `this token's ${token.quota.bytes} bytes are used up (${used.bytes} kept); remove some pins first`)
    return this.enqueue(await this.init.records.create(token.id, pin))
  }

  /** Queues a new record; what it was when asked for (its fetch may start at once). */
  private enqueue (record: PinRecord): PinRecord {
    record.info = { status_details: 'waiting for its turn' }
    const asked = { ...record, info: { ...record.info } }
    this.waiting.push(record.requestid)
    this.pump()
    return asked
  }

  /** `GET /pins/{requestid}`: a pin of this token, else 404. */
  get (token: TokenRecord, requestid: string): PinRecord {
    const record = this.init.records.get(requestid)
    if (record === undefined || record.owner !== token.id) throw new PinApiError(404, 'NOT_FOUND', `no pin with request id "${requestid}"`)
    return record
  }

  /** `GET /pins`. */
  list (token: TokenRecord, query: PinQuery): { count: number, results: PinRecord[] } {
    return selectPins(this.init.records.ownedBy(token.id), query)
  }

  /** `POST /pins/{requestid}`: a new pin in place of the old one; shared blocks are never fetched again. */
  async replace (token: TokenRecord, requestid: string, pin: PinRequest): Promise<PinRecord> {
    const old = this.get(token, requestid)
    const record = await this.init.records.create(token.id, pin)
    await this.forget(old)
    return this.enqueue(record)
  }

  /** `DELETE /pins/{requestid}`. */
  async remove (token: TokenRecord, requestid: string): Promise<void> {
    await this.forget(this.get(token, requestid))
  }

  /** Unpins every pin whose token no longer exists (revoked). */
  async removeOrphans (owners: Set<string>): Promise<number> {
    const orphans = this.init.records.all().filter(r => !owners.has(r.owner))
    for (const record of orphans) await this.forget(record)
    return orphans.length
  }

  private async forget (record: PinRecord): Promise<void> {
    this.running.get(record.requestid)?.abort(new Error('the pin was removed'))
    const at = this.waiting.indexOf(record.requestid)
    if (at !== -1) this.waiting.splice(at, 1)
    await this.init.records.remove(record.requestid)
    if (record.status === 'pinned') this.init.onRemoved?.(CID.parse(record.pin.cid))
    this.wantCollection()
  }

  private wantCollection (): void {
    this.collectWanted = true
    this.pump()
  }

  /** Starts waiting pins while there is room; collects garbage when nothing is being fetched. */
  private pump (): void {
    if (this.stopped || this.collecting !== undefined) return
    while (this.waiting.length > 0 && this.running.size < PINS_AT_ONCE) {
      const requestid = this.waiting.shift() as string
      const record = this.init.records.get(requestid)
      if (record !== undefined) this.run(record)
    }
    if (this.running.size === 0 && this.collectWanted) {
      this.collectWanted = false
      this.collecting = this.collect().finally(() => {
        this.collecting = undefined
        this.pump()
      })
    }
  }

  private async collect (): Promise<void> {
    const roots = this.init.records.all().filter(r => r.status !== 'failed').map(r => CID.parse(r.pin.cid))
    try {
      const freed = await this.init.kept.collect(roots)
      if (freed.blocks > 0) this.init.log(`home: collected ${freed.blocks} blocks (${freed.bytes} bytes) no pin keeps`)
    } catch (err) {
      this.init.log(`home: collection failed: ${(err as Error).message}`)
    }
  }

  private run (record: PinRecord): void {
    const controller = new AbortController()
    this.running.set(record.requestid, controller)
    void this.fetch(record, controller.signal).finally(() => {
      this.running.delete(record.requestid)
      this.pump()
    })
  }

  private async fetch (record: PinRecord, signal: AbortSignal): Promise<void> {
    const { init } = this
    record.status = 'pinning'
    record.info = { status_details: 'connecting to the origins' }
    await init.records.save(record)
    await this.dialOrigins(record, signal)
    record.info = { status_details: 'fetching' }
    // What the token has left, counting this pin's earlier progress as its own.
    const budget = (init.quotaOf(record.owner)?.bytes ?? 0) - (this.usage(record.owner).bytes - record.bytes)
    try {
      const done = await fetchPinDag(CID.parse(record.pin.cid), {
        kept: init.kept,
        retrieve: async (cid, fetchSignal) => init.retrieve(cid, fetchSignal, originPeers(record.pin.origins ?? [])),
        stallMs: init.stallMs,
        budget,
        signal,
        onProgress: ({ blocks, bytes }) => {
          record.bytes = bytes
          record.info = { status_details: `fetching: ${blocks} blocks, ${bytes} bytes so far` }
        }
      })
      if (init.records.get(record.requestid) === undefined) return
      record.status = 'pinned'
      record.bytes = done.bytes
      record.info = { status_details: `${done.blocks} blocks kept`, dag_size: String(done.bytes) }
      await init.records.save(record)
      init.log(`home: pinned ${record.pin.cid} (${done.blocks} blocks, ${done.bytes} bytes)`)
      init.onPinned?.(CID.parse(record.pin.cid))
    } catch (err) {
      // Removed, or the node stopping: nothing to record (a stopped pin resumes at the next start).
      if (init.records.get(record.requestid) === undefined || this.stopped) return
      const reason = err instanceof PinFailure ? err.message : `could not keep it: ${(err as Error).message}`
      record.status = 'failed'
      record.bytes = 0
      record.info = { status_details: reason }
      await init.records.save(record)
      init.log(`home: pin ${record.pin.cid} failed: ${reason}`)
      this.collectWanted = true
    }
  }

  private async dialOrigins (record: PinRecord, signal: AbortSignal): Promise<void> {
    await Promise.all((record.pin.origins ?? []).map(async origin => {
      try {
        await this.init.dial(origin, AbortSignal.any([signal, AbortSignal.timeout(10_000)]))
      } catch (err) {
        this.init.log(`home: origin ${origin} of ${record.pin.cid} not reached: ${(err as Error).message}`)
      }
    }))
  }
}
