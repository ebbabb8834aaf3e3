import { logger } from '@libp2p/logger'
import type { CID } from 'multiformats/cid'
import { toString } from 'uint8arrays/to-string'
import { verifyBlock } from '../content/hashing.ts'
import type { BlockBroker, BrokerKind } from './broker.ts'
import { BlockUnavailableError, type FetchAttempt } from './errors.ts'
import { FetchSession } from '../content/fetch-session.ts'

const log = logger('cairn:exchange')

/** How long a block may take before a fetch gives up (the gateway then answers 504). */
export const DEFAULT_FETCH_TIMEOUT_MS = 30_000
/** How long a block may take from connected peers before its providers are looked up too. */
export const DEFAULT_LOOKUP_AFTER_MS = 1_500

/** Counts per source, since the worker started; shown in the settings. */
export interface SourceStats {
  name: string
  kind: BrokerKind
  /** Verified blocks it sent. */
  blocks: number
  bytes: number
  /** Blocks it sent that did not match their CID (refused, never stored). */
  wrong: number
  /** Requests it failed (not found, errors, too large); not counted when another source won first. */
  failed: number
}

/** A verified block from outside, and where it came from. */
export interface FetchedBlock {
  bytes: Uint8Array
  /** The peer or gateway that sent it. */
  from: string
  /** The broker it came through. */
  source: string
}

/** Options of one fetch. */
export interface FetchOptions {
  signal?: AbortSignal
  /** The user action this block belongs to (progress, provider lookups once per action). */
  session?: FetchSession
  /**
   * Ask connected peers only (Bitswap): no HTTP gateway, no routing lookup. For content that
   * lives between peers — a room's history — whose requests must not reach third parties.
   */
  peersOnly?: boolean
}

/** What the exchange fetches with. */
export interface ExchangeInit {
  /** The brokers to ask now (the enabled sources; settings may change between calls). */
  brokers: () => Promise<BlockBroker[]>
  /**
   * Looks up providers of `cid` and connects to them, so that Bitswap asks them too
   * (delegated routing). Optional; failures are logged, not fatal.
   */
  findProviders?: (cid: CID, signal: AbortSignal) => Promise<void>
  /** Default `DEFAULT_FETCH_TIMEOUT_MS`. */
  timeoutMs?: number
  /** Default `DEFAULT_LOOKUP_AFTER_MS`. */
  lookupAfterMs?: number
}

interface InFlight {
  promise: Promise<FetchedBlock>
  controller: AbortController
  waiters: number
}

/**
 * Gets blocks the node does not hold: asks every enabled source at once (Bitswap and each
 * trustless gateway) and takes the first answer that **verifies against the CID**; a wrong
 * answer is counted against its source and the others go on. This is the one place where
 * bytes from outside become a block. Fetches of the same CID at the same time share one race.
 * Gives up with `BlockUnavailableError` (listing what each source said) after the timeout.
 */
export class Exchange {
  private readonly init: ExchangeInit
  private readonly timeoutMs: number
  private readonly lookupAfterMs: number
  private readonly inFlight = new Map<string, InFlight>()
  private readonly counts = new Map<string, SourceStats>()

  constructor (init: ExchangeInit) {
    this.init = init
    this.timeoutMs = init.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS
    this.lookupAfterMs = init.lookupAfterMs ?? DEFAULT_LOOKUP_AFTER_MS
  }

  /** Counts per source since the worker started. */
  stats (): SourceStats[] {
    return [...this.counts.values()].map(s => ({ ...s }))
  }

  /** A verified block from outside; `BlockUnavailableError` when no source had it in time. */
  async fetch (cid: CID, options: FetchOptions = {}): Promise<FetchedBlock> {
    options.signal?.throwIfAborted()
    const known = options.session?.failureOf(cid)
    if (known !== undefined) throw known
    // Same multihash, same bytes: one race, whatever the CID's version or codec.
    const key = toString(cid.multihash.bytes, 'base64')
    let flight = this.inFlight.get(key)
    if (flight === undefined) {
      const controller = new AbortController()
      const promise = this.race(cid, controller.signal, options.session ?? new FetchSession(), options.peersOnly === true)
        .finally(() => { this.inFlight.delete(key) })
      // Every caller may have gone away before it settles: its failure is theirs, not unhandled.
      promise.catch(() => {})
      flight = { promise, controller, waiters: 0 }
      this.inFlight.set(key, flight)
    }
    const shared = flight
    shared.waiters++
    let got: FetchedBlock
    try {
      got = await waitUnlessAborted(shared.promise, options.signal, () => {
        if (--shared.waiters === 0) shared.controller.abort(options.signal?.reason)
      })
    } catch (err) {
      if (err instanceof BlockUnavailableError) options.session?.failed(cid, err)
      throw err
    }
    options.session?.fetched({ cid, bytes: got.bytes.length, from: got.from })
    return got
  }

  private statsFor (broker: BlockBroker): SourceStats {
    let stats = this.counts.get(broker.name)
    if (stats === undefined) {
      stats = { name: broker.name, kind: broker.kind, blocks: 0, bytes: 0, wrong: 0, failed: 0 }
      this.counts.set(broker.name, stats)
    }
    return stats
  }

  private async race (cid: CID, cancel: AbortSignal, session: FetchSession, peersOnly: boolean): Promise<FetchedBlock> {
    const brokers = (await this.init.brokers()).filter(b => !peersOnly || b.kind === 'bitswap')
    if (brokers.length === 0) {
      throw new BlockUnavailableError(`block ${cid} is not stored, and no source to fetch it from is enabled`, [])
    }
    const timeout = AbortSignal.timeout(this.timeoutMs)
    const won = new AbortController()
    const nobodyLeft = new AbortController()
    const signal = AbortSignal.any([cancel, timeout, won.signal, nobodyLeft.signal])
    const pending = new Set(brokers)
    let lookingUp = true
    // Stop waiting once every broker still racing has nobody to ask and no lookup can add one.
    const checkIdle = (): void => {
      if (!lookingUp && pending.size > 0 && [...pending].every(b => b.idle?.() === true)) nobodyLeft.abort()
    }
    const lookups = (peersOnly ? Promise.resolve(undefined) : this.lookUpProviders(cid, session, signal)).finally(() => { lookingUp = false; checkIdle() })
    const attempts: FetchAttempt[] = []
    const asks = brokers.map(async broker => {
      const stats = this.statsFor(broker)
      try {
        const got = await broker.retrieve(cid, { signal })
        try {
          await verifyBlock(cid, got.bytes)
        } catch (err) {
          stats.wrong++
          log.error('%s sent a wrong block for %s: %s', got.from, cid, (err as Error).message)
          attempts.push({ source: broker.name, outcome: `${got.from} sent bytes that do not match the CID` })
          throw err
        }
        stats.blocks++
        stats.bytes += got.bytes.length
        won.abort()
        return { bytes: got.bytes, from: got.from, source: broker.name }
      } catch (err) {
        if (won.signal.aborted && !timeout.aborted) throw err
        if (nobodyLeft.signal.aborted && !timeout.aborted) {
          attempts.push({ source: broker.name, outcome: broker.kind === 'bitswap' ? 'no connected peer to ask' : 'nobody to ask' })
        } else if (timeout.aborted) {
          attempts.push({ source: broker.name, outcome: `no answer within ${duration(this.timeoutMs)}` })
        } else if (!cancel.aborted && !attempts.some(a => a.source === broker.name)) {
          stats.failed++
          attempts.push({ source: broker.name, outcome: (err as Error).message })
        }
        throw err
      } finally {
        pending.delete(broker)
        checkIdle()
      }
    })
    try {
      return await Promise.any(asks)
    } catch {
      cancel.throwIfAborted()
      const lookupNote = await lookups
      if (lookupNote !== undefined) attempts.push(lookupNote)
      throw new BlockUnavailableError(timeout.aborted
        ? `no source had block ${cid} within ${duration(this.timeoutMs)}`
        : `no source had block ${cid}`, attempts)
    }
  }

  /**
   * Provider lookups: once per session for its first missing block, and for any block that
   * connected peers have not sent within `lookupAfterMs`. Resolves to a note for the attempt
   * list when a lookup failed.
   */
  private async lookUpProviders (cid: CID, session: FetchSession, signal: AbortSignal): Promise<FetchAttempt | undefined> {
    const find = this.init.findProviders
    if (find === undefined) return undefined
    if (session.lookedUpAny) {
      const waited = await new Promise<boolean>(resolve => {
        const timer = setTimeout(() => { resolve(true) }, this.lookupAfterMs)
        signal.addEventListener('abort', () => { clearTimeout(timer); resolve(false) }, { once: true })
      })
      if (!waited) return undefined
    }
    if (!session.shouldLookUp(cid)) return undefined
    try {
      await find(cid, signal)
      return undefined
    } catch (err) {
      if (signal.aborted) return undefined
      log('provider lookup for %s failed: %s', cid, (err as Error).message)
      return { source: 'routing', outcome: (err as Error).message }
    }
  }
}

/** "30 s", or "500 ms" below a second. */
function duration (ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`
}

/** Waits for `promise`, or rejects with the abort reason when `signal` aborts first (then calls `onAbort`). */
async function waitUnlessAborted<T> (promise: Promise<T>, signal: AbortSignal | undefined, onAbort: () => void): Promise<T> {
  if (signal === undefined) return promise
  return new Promise<T>((resolve, reject) => {
    const aborted = (): void => { onAbort(); reject(signal.reason) }
    signal.addEventListener('abort', aborted, { once: true })
    promise.then(
      value => { signal.removeEventListener('abort', aborted); resolve(value) },
      (err: unknown) => { signal.removeEventListener('abort', aborted); reject(err) }
    )
  })
}
