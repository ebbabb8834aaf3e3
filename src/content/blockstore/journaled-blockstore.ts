import type { AbortOptions } from 'abort-error'
import type { CID } from 'multiformats/cid'

/** Blocks and bytes a write added (blocks already stored are not counted). */
export interface Added {
  blocks: number
  bytes: number
}

/**
 * A blockstore that can take back a whole import: the blocks each batch written under an
 * import id added are marked, in the same transaction, until the import commits. Implemented
 * by the IndexedDB blockstore (`storage/`) and, for tests, the memory blockstore.
 */
export interface JournaledBlockstore {
  has(cid: CID, options?: AbortOptions): Promise<boolean>
  /**
   * Writes blocks the caller has verified, marking the newly added ones under `importId`. A
   * block already stored stays unmarked; if another running import added it, that import's
   * rollback now leaves it (the block is wanted by this write too).
   */
  putVerifiedForImport(batch: ReadonlyArray<{ cid: CID, bytes: Uint8Array }>, importId: string): Promise<Added>
  /** Deletes some of the blocks the import added (a batch or a page), and their marks; 0 when none are left. */
  rollBackImport(importId: string): Promise<number>
  /** Forgets the import's marks (it committed): its blocks stay. */
  commitImport(importId: string): Promise<void>
}
