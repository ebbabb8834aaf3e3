import type { CID } from 'multiformats/cid'
import { toString } from 'uint8arrays/to-string'

/** What one fetched block adds to a session's progress. */
export interface FetchedBlockEvent {
  cid: CID
  bytes: number
  /** The peer (PeerId) or gateway (origin) that sent it. */
  from: string
}

/** A session's progress so far, as the explorer shows it. */
export interface FetchProgress {
  blocks: number
  bytes: number
  /** Blocks per peer or gateway. */
  sources: Record<string, number>
}

/**
 * The blocks fetched for one user action (a gateway request, an explorer lookup, a "fetch
 * everything"): its progress, and which CIDs it has already looked up providers for, so that
 * providers are looked up once per action, not once per block.
 */
export class FetchSession {
  readonly progress: FetchProgress = { blocks: 0, bytes: 0, sources: {} }
  private readonly lookedUp = new Set<string>()
  private readonly failures = new Map<string, Error>()
  private readonly onFetched: ((event: FetchedBlockEvent, progress: FetchProgress) => void) | undefined

  constructor (onFetched?: (event: FetchedBlockEvent, progress: FetchProgress) => void) {
    this.onFetched = onFetched
  }

  /** True the first time a lookup for `cid` is asked for in this session. */
  shouldLookUp (cid: CID): boolean {
    const key = cid.toString()
    if (this.lookedUp.has(key)) return false
    this.lookedUp.add(key)
    return true
  }

  /** Whether any provider lookup has started in this session. */
  get lookedUpAny (): boolean {
    return this.lookedUp.size > 0
  }

  /** Remembers that no source had `cid`, so the same action does not wait for it twice. */
  failed (cid: CID, error: Error): void {
    this.failures.set(toString(cid.multihash.bytes, 'base64'), error)
  }

  /** The failure remembered for `cid` in this session, if any. */
  failureOf (cid: CID): Error | undefined {
    return this.failures.get(toString(cid.multihash.bytes, 'base64'))
  }

  /** Counts a block that arrived and tells the listener. */
  fetched (event: FetchedBlockEvent): void {
    this.progress.blocks++
    this.progress.bytes += event.bytes
    this.progress.sources[event.from] = (this.progress.sources[event.from] ?? 0) + 1
    this.onFetched?.(event, this.progress)
  }
}
