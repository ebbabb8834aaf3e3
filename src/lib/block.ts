import type { CID } from 'multiformats/cid'

/** A block with its CID. */
export interface Block {
  cid: CID
  bytes: Uint8Array
}

/** Reads a block's bytes; throws `NotFoundError` (by name) when it is not available. */
export type BlockReader = (cid: CID) => Promise<Uint8Array>
