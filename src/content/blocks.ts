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
  /**
   * A fetched block goes to this reader as soon as it is verified, and is stored after (its
   * write grouped with others, as always). If that write fails, the reader has already shown
   * the block: the failure goes to `BlocksComponents.onNotKept`, not to this reader. For
   * readers that only show content (the gateway); whoever reports content as stored reads
   * without it.
   */
  storeAfterReading?: boolean
}

/**
 * The one way the app reads and writes blocks: DAG get/resolve, the gateway (and so CAR
 * export and websites), the site channel. Blocks are answered from the local store first;
 * a block that is not stored is fetched from peers and gateways (unless `offline`), verified
 * against its CID by the exchange, stored, and then returned (or, with `storeAfterReading`,
 * returned and then stored) — so every reader gets the network, and nothing unverified is
 * ever stored or served.
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

/** The event a page hears when content it was shown could not be kept (`storeAfterReading`). */
export interface NotKeptEvent {
  type: 'blocks.not-kept'
  detail: {
    cid: string
    /** The write's error, by name (`StorageFullError` when the quota is reached) and message. */
    error: { name: string, message: string }
  }
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
  /** A block read with `storeAfterReading` was shown but could not be stored (the write's error). */
  onNotKept?: (cid: CID, err: unknown) => void
}

/** The `Blocks` of a node, over its blockstore and (if given) the network. */
export function createBlocks ({ blockstore, lock, network, onNotKept }: BlocksComponents): Blocks {
  const writes = new GroupCommit(blockstore, lock)
  const store = async (cid: CID, bytes: Uint8Array, options?: AbortOptions): Promise<void> => {
    options?.signal?.throwIfAborted()
    await writes.put(cid, bytes)
    network?.announce(cid)
  }
  /**
   * Blocks handed to a reader before their write finished (`storeAfterReading`), by multihash:
   * a second read of one (a file's first leaf is read twice) gets it here, not from the
   * network again — a peer that has just sent a block does not send it twice.
   */
  const writing = new Map<string, { bytes: Uint8Array, stored: Promise<void> }>()
  const keyOf = (cid: CID): string => cid.multihash.bytes.join()
  return {
    async get (cid, options = {}) {
      try {
        return await blockstore.getBytes(cid, options)
      } catch (err) {
        if (!isNotFound(err)) throw err
        const pending = writing.get(keyOf(cid))
        if (pending !== undefined) {
          // Whoever does not read with `storeAfterReading` learns how the write ended.
          if (options.storeAfterReading !== true) await pending.stored
          return pending.bytes.slice()
        }
        if (options.offline === true || network === undefined) throw err
      }
      const fetched = await network.fetch(cid, {
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        ...(options.session === undefined ? {} : { session: options.session }),
        ...(options.peersOnly === true ? { peersOnly: true } : {})
      })
      // Stored even if the reader has gone away meanwhile: the block is verified and wanted.
      const stored = store(cid, fetched.bytes)
      if (options.storeAfterReading !== true) {
        await stored
        return fetched.bytes
      }
      const key = keyOf(cid)
      writing.set(key, { bytes: fetched.bytes, stored })
      stored.then(() => { writing.delete(key) }, err => {
        writing.delete(key)
        onNotKept?.(cid, err)
      })
      // The reader gets its own copy: a response stream may take (detach) what it is handed
      // while the write still holds the block.
      return fetched.bytes.slice()
    },
    async has (cid, options) {
      return blockstore.has(cid, options)
    },
    put: store
  }
}
