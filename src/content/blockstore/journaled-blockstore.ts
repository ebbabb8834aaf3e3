import type { AbortOptions } from 'abort-error'
import type { CID } from 'multiformats/cid'

/** Blocks and bytes a write added (blocks already stored are not counted). */
export interface Added {
  blocks: number
  bytes: number
}

/**
 * A blockstore that can take back a whole import: blocks written under an import id are
 * marked in a journal, in the same transaction, until the import commits. Implemented by the
 * IndexedDB blockstore (`storage/`) and, for tests, the memory blockstore.
 */
export interface JournaledBlockstore {
  has(cid: CID, options?: AbortOptions): Promise<boolean>
  /**
   * Writes blocks the caller has verified, marking each newly added one under `importId`. A
   * block already stored stays unmarked; a mark left by another import is cleared (the
   * block is wanted by this write too).
   */
  putVerifiedForImport(batch: ReadonlyArray<{ cid: CID, bytes: Uint8Array }>, importId: string): Promise<Added>
  /** Deletes up to `limit` blocks the import added, and their marks; 0 when none are left. */
  rollBackImport(importId: string, limit?: number): Promise<number>
  /** Forgets up to `limit` of the import's marks (it committed); 0 when none are left. */
  commitImport(importId: string, limit?: number): Promise<number>
}
