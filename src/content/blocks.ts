import type { AbortOptions } from 'abort-error'
import type { CID } from 'multiformats/cid'
import type { BaseBlockstore } from './blockstore/base-blockstore.ts'
import type { StoreLock } from './blockstore/store-lock.ts'

/** Options for reading a block. */
export interface BlockGetOptions extends AbortOptions {
  /**
   * Answer from the local store only: a block that is not stored is a `NotFoundError` at
   * once (`Cache-Control: only-if-cached`, offline use). Reads of stored blocks never wait
   * for the network either way.
   */
  offline?: boolean
}

/**
 * The one way the app reads and writes blocks: DAG get/resolve, the gateway (and so CAR
 * export and websites), the site channel. Blocks are answered from the local store; fetching
 * what is missing from peers and gateways plugs in here (the content-exchange issue), so
 * that every reader gets it and every block from outside is verified and stored in one place.
 * Today it answers from the local store only.
 */
export interface Blocks {
  /** A block's bytes. Throws `NotFoundError` when it is not available. */
  get(cid: CID, options?: BlockGetOptions): Promise<Uint8Array>
  /** Whether the block is stored locally (never asks the network). */
  has(cid: CID, options?: AbortOptions): Promise<boolean>
  /** Verifies and stores a block. */
  put(cid: CID, bytes: Uint8Array, options?: AbortOptions): Promise<void>
}

/** What blocks are read from and written to. */
export interface BlocksComponents {
  blockstore: BaseBlockstore
  /** Held shared while writing, so garbage collection never runs in the middle of a put. */
  lock: StoreLock
}

/** The `Blocks` of a node, over its blockstore. */
export function createBlocks ({ blockstore, lock }: BlocksComponents): Blocks {
  return {
    async get (cid, options) {
      return blockstore.getBytes(cid, options)
    },
    async has (cid, options) {
      return blockstore.has(cid, options)
    },
    async put (cid, bytes, options) {
      await lock.shared(async () => blockstore.put(cid, bytes, options))
    }
  }
}
