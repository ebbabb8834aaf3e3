import type { CID } from 'multiformats/cid'

/** How the gateway asks for a block. */
export interface BlockSourceOptions {
  /** `Cache-Control: only-if-cached`: answer from local blocks only, never from the network. */
  offline?: boolean
}

/** What a block source's "nobody had it in time" error carries (`BlockUnavailableError`, by name). */
export interface UnavailableError extends Error {
  attempts?: Array<{ source: string, outcome: string }>
}

/**
 * Where the gateway gets blocks: the node's `Blocks` in the app's Service Worker, a verified
 * channel to the app in a site's Service Worker. Throws `NotFoundError` (by name) for a block
 * that is not available.
 */
export type BlockSource = (cid: CID, options?: BlockSourceOptions) => Promise<Uint8Array>


/** True when the node tried to fetch a block and no source had it in time. */
export function isUnavailable (err: unknown): err is UnavailableError {
  return (err as { name?: unknown } | null)?.name === 'BlockUnavailableError'
}
