import type { AbortOptions } from 'abort-error'
import type { CID } from 'multiformats/cid'
import type { FetchSession } from './fetch-session.ts'
import { isNotFound } from '../lib/not-found.ts'
import { GroupCommit } from './blockstore/group-commit.ts'
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
  /** The user action this read belongs to: fetch progress, provider lookups once per action. */
  session?: FetchSession
  /** Fetch from connected peers only: no gateway or router hears of it (room history). */
  peersOnly?: boolean
}

/**
 * The one way the app reads and writes blocks: DAG get/resolve, the gateway (and so CAR
 * export and websites), the site channel. Blocks are answered from the local store first;
 * a block that is not stored is fetched from peers and gateways (unless `offline`), verified
 * against its CID by the exchange, stored, and then returned — so every reader gets the
 * network, and nothing unverified is ever stored or served.
 */
export interface Blocks {
  /**
   * A block's bytes. Throws `NotFoundError` when it is not stored and `offline` (or there is
   * no network), `BlockUnavailableError` when no source had it in time.
   */
  get(cid: CID, options?: BlockGetOptions): Promise<Uint8Array>
  /** Whether the block is stored locally (never asks the network). */
  has(cid: CID, options?: AbortOptions): Promise<boolean>
  /** Verifies and stores a block. */
  put(cid: CID, bytes: Uint8Array, options?: AbortOptions): Promise<void>
}

/** Where blocks that are not stored come from. */
export interface BlockNetwork {
  /** A block from outside, already verified against `cid` (the exchange). */
  fetch(cid: CID, options: { signal?: AbortSignal, session?: FetchSession, peersOnly?: boolean }): Promise<{ bytes: Uint8Array }>
  /** Tells peers that wanted `cid` that it is stored now. */
  announce(cid: CID): void
}

/** What blocks are read from and written to. */
export interface BlocksComponents {
  blockstore: BaseBlockstore
  /** Held shared while writing, so garbage collection never runs in the middle of a put. */
  lock: StoreLock
  /** Absent: local blocks only. */
  network?: BlockNetwork
}

/** The `Blocks` of a node, over its blockstore and (if given) the network. */
export function createBlocks ({ blockstore, lock, network }: BlocksComponents): Blocks {
  const writes = new GroupCommit(blockstore, lock)
  const store = async (cid: CID, bytes: Uint8Array, options?: AbortOptions): Promise<void> => {
    options?.signal?.throwIfAborted()
    await writes.put(cid, bytes)
    network?.announce(cid)
  }
  return {
    async get (cid, options = {}) {
      try {
        return await blockstore.getBytes(cid, options)
      } catch (err) {
        if (!isNotFound(err) || options.offline === true || network === undefined) throw err
      }
      const fetched = await network.fetch(cid, {
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        ...(options.session === undefined ? {} : { session: options.session }),
        ...(options.peersOnly === true ? { peersOnly: true } : {})
      })
      // Stored even if the reader has gone away meanwhile: the block is verified and wanted.
      await store(cid, fetched.bytes)
      return fetched.bytes
    },
    async has (cid, options) {
      return blockstore.has(cid, options)
    },
    put: store
  }
}
