import { logger } from '@libp2p/logger'
import type { JournaledBlockstore } from '../blockstore/journaled-blockstore.ts'
import type { StoreLock } from '../blockstore/store-lock.ts'
import type { ImportLog } from './import-log.ts'

const log = logger('cairn:content:imports')

/** Takes back everything an import added, a transaction at a time. */
export async function rollBackImport (blockstore: JournaledBlockstore, id: string): Promise<void> {
  while (await blockstore.rollBackImport(id) > 0) { /* next page */ }
}

/** Forgets an import's journal marks: its blocks are kept for good. */
export async function commitImport (blockstore: JournaledBlockstore, id: string): Promise<void> {
  await blockstore.commitImport(id)
}

/**
 * Finishes what a stopped Service Worker left of any import (CAR or added files): imports
 * still marked running are rolled back; finished ones drop any journal marks left over. Run
 * once when the node starts.
 */
export async function recoverImports (blockstore: JournaledBlockstore, imports: ImportLog, lock: StoreLock): Promise<void> {
  await lock.shared(async () => {
    for (const record of await imports.list()) {
      if (record.state === 'running') {
        log('rolling back interrupted import %s (%s)', record.id, record.name)
        await rollBackImport(blockstore, record.id)
        await imports.remove(record.id)
      } else {
        await commitImport(blockstore, record.id)
      }
    }
  })
}
