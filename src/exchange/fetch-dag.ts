import { identity } from 'multiformats/hashes/identity'
import type { CID } from 'multiformats/cid'
import type { Blocks } from '../content/blocks.ts'
import { FetchSession } from '../content/fetch-session.ts'
import { blockLinks } from '../hotpath/index.ts'
import { isNotFound } from '../lib/not-found.ts'

/** Blocks asked for at once while fetching a DAG. */
export const FETCH_DAG_CONCURRENCY = 16

/** Where "fetch everything" stands. */
export interface FetchDagProgress {
  /** Blocks of the DAG walked so far (stored before or fetched now). */
  blocks: number
  /** Blocks known so far: walked, missing, and linked but not walked yet (grows as the walk goes). */
  known: number
  bytes: number
  /** Of those, fetched now from peers or gateways. */
  fetchedBlocks: number
  fetchedBytes: number
  /** Blocks no source had in time. */
  missing: number
  /** Fetched blocks per peer or gateway. */
  sources: Record<string, number>
}

/** How "fetch everything" ended. */
export interface FetchDagSummary extends FetchDagProgress {
  root: string
  /** Every block of the DAG is stored now. */
  complete: boolean
  /** Up to 20 CIDs that could not be fetched (the DAG below them is unknown). */
  missingCids: string[]
  ms: number
}

/** Options of one "fetch everything". */
export interface FetchDagOptions {
  signal?: AbortSignal
  /** Called at most every `progressEveryMs` (default 200 ms) and once at the end. */
  onProgress?: (progress: FetchDagProgress) => void
  progressEveryMs?: number
}

/**
 * Makes a whole DAG available offline: walks it from `root` (links read by the WASM module,
 * never by decoding objects), reads stored blocks locally and fetches the others through
 * `blocks` (so each is verified and stored as it arrives), `FETCH_DAG_CONCURRENCY` at a time.
 * Resumable by design — blocks already stored are kept and only walked. A block nobody has
 * is counted as missing and the walk goes on with the rest. Cancelled by `signal`: what was
 * fetched so far stays stored.
 */
export async function fetchDag (blocks: Blocks, root: CID, options: FetchDagOptions = {}): Promise<FetchDagSummary> {
  const started = Date.now()
  const progress: FetchDagProgress = { blocks: 0, known: 1, bytes: 0, fetchedBlocks: 0, fetchedBytes: 0, missing: 0, sources: {} }
  const session = new FetchSession((event) => {
    progress.fetchedBlocks++
    progress.fetchedBytes += event.bytes
    progress.sources[event.from] = (progress.sources[event.from] ?? 0) + 1
  })
  const missingCids: string[] = []
  const seen = new Set<string>([root.toString()])
  const queue: CID[] = [root]
  let lastReport = 0
  const report = (force = false): void => {
    const now = Date.now()
    if (!force && now - lastReport < (options.progressEveryMs ?? 200)) return
    lastReport = now
    options.onProgress?.({ ...progress, sources: { ...progress.sources } })
  }

  const visit = async (cid: CID): Promise<void> => {
    let bytes: Uint8Array
    try {
      bytes = await blocks.get(cid, { session, ...(options.signal === undefined ? {} : { signal: options.signal }) })
    } catch (err) {
      options.signal?.throwIfAborted()
      if ((err as Error).name !== 'BlockUnavailableError' && !isNotFound(err)) throw err
      progress.missing++
      if (missingCids.length < 20) missingCids.push(cid.toString())
      return
    }
    progress.blocks++
    progress.bytes += bytes.length
    for (const link of blockLinks(cid, bytes)) {
      const key = link.toString()
      if (link.multihash.code === identity.code || seen.has(key)) continue
      seen.add(key)
      progress.known++
      queue.push(link)
    }
    report()
  }

  // A failure (cancel, a store error) stops new work; the blocks in flight finish first.
  let failure: { error: unknown } | undefined
  const running = new Set<Promise<void>>()
  while ((failure === undefined && queue.length > 0) || running.size > 0) {
    while (failure === undefined && queue.length > 0 && running.size < FETCH_DAG_CONCURRENCY) {
      const task: Promise<void> = visit(queue.shift() as CID)
        .catch((error: unknown) => { failure ??= { error } })
        .finally(() => { running.delete(task) })
      running.add(task)
    }
    if (running.size > 0) await Promise.race(running)
  }
  if (failure !== undefined) throw failure.error
  report(true)
  return { ...progress, root: root.toString(), complete: progress.missing === 0, missingCids, ms: Date.now() - started }
}
