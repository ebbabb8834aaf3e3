import type { CID } from 'multiformats/cid'

/**
 * Where the gateway gets blocks: the local blockstore in the app's Service Worker, a
 * verified channel to the app in a site's Service Worker. Throws `NotFoundError` (by name)
 * for a block that is not available; fetching from peers will plug in here.
 */
export type BlockSource = (cid: CID) => Promise<Uint8Array>

/** A block with its CID. */
export interface Block {
  cid: CID
  bytes: Uint8Array
}

/** True for the "not available" error any block source throws. */
export function isNotFound (err: unknown): boolean {
  return (err as { name?: unknown } | null)?.name === 'NotFoundError'
}
