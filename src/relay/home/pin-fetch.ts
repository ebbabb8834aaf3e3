import type { CID } from 'multiformats/cid'
import { blockLinks } from '../../hotpath/index.ts'
import type { KeptBlocks } from './kept-blocks.ts'

/** Blocks asked for at once while a pin is fetched. */
export const PIN_FETCH_CONCURRENCY = 16

/** Why a pin could not be kept, in words for `info.status_details`. */
export class PinFailure extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'PinFailure'
  }
}

/** What fetching a pin's DAG needs. */
export interface PinFetchInit {
  kept: KeptBlocks
  /** A block from the network (Bitswap), verified or not: it is checked before it is kept. */
  retrieve: (cid: CID, signal: AbortSignal) => Promise<Uint8Array>
  /** The pin fails when no block arrives for this long. */
  stallMs: number
  /** Bytes the pin may take before it is over its token's quota. */
  budget: number
  signal: AbortSignal
  onProgress?: (done: { blocks: number, bytes: number }) => void
}

/**
 * Fetches and keeps the whole DAG under `root`: blocks already kept are read and walked,
 * the others asked for over the network `PIN_FETCH_CONCURRENCY` at a time, each verified and
 * written before its links are followed. A block seen twice is walked once. Fails with a
 * `PinFailure` when nothing arrives for `stallMs` (nobody has the data) or the DAG grows past
 * `budget`; what was written stays for the caller to collect.
 */
export async function fetchPinDag (root: CID, init: PinFetchInit): Promise<{ blocks: number, bytes: number }> {
  const done = { blocks: 0, bytes: 0 }
  const seen = new Set<string>([root.toString()])
  const queue: CID[] = [root]
  let lastArrival = Date.now()
  let waitingOn: CID | undefined
  const stall = new AbortController()
  const watchdog = setInterval(() => {
    if (Date.now() - lastArrival > init.stallMs) stall.abort(new PinFailure(`no peer gave block ${waitingOn?.toString() ?? ''} within ${Math.round(init.stallMs / 1000)} s (are the origins online?)`))
  }, Math.min(1000, init.stallMs / 4))
  // The first failure stops the other requests in flight.
  const halt = new AbortController()
  const signal = AbortSignal.any([init.signal, stall.signal, halt.signal])

  const visit = async (cid: CID): Promise<void> => {
    let bytes: Uint8Array
    if (await init.kept.has(cid)) {
      bytes = await init.kept.getBytes(cid)
    } else {
      waitingOn = cid
      bytes = await init.retrieve(cid, signal)
      await init.kept.put(cid, bytes)
    }
    lastArrival = Date.now()
    done.blocks++
    done.bytes += bytes.length
    if (done.bytes > init.budget) throw new PinFailure(`over quota: the DAG is larger than the ${init.budget} bytes this token has left`)
    init.onProgress?.({ ...done })
    for (const link of blockLinks(cid, bytes)) {
      const key = link.toString()
      if (seen.has(key)) continue
      seen.add(key)
      queue.push(link)
    }
  }

  try {
    const running = new Set<Promise<void>>()
    let failure: unknown
    while ((queue.length > 0 || running.size > 0) && failure === undefined) {
      while (queue.length > 0 && running.size < PIN_FETCH_CONCURRENCY) {
        const task: Promise<void> = visit(queue.shift() as CID)
          .catch((err: unknown) => {
            failure ??= signal.aborted && signal.reason instanceof PinFailure ? signal.reason : err
            halt.abort(failure)
          })
          .finally(() => running.delete(task))
        running.add(task)
      }
      await Promise.race(running)
    }
    await Promise.allSettled(running)
    if (failure !== undefined) throw failure
    return done
  } finally {
    clearInterval(watchdog)
  }
}
