import { openDB, type DBSchema, type IDBPDatabase } from 'idb'

/** A block's key: its multihash bytes. */
export type BlockKey = Uint8Array<ArrayBuffer>

/** One stored block: the CID it was stored under and its bytes. Keyed by multihash bytes. */
export interface BlockRecord {
  cid: Uint8Array
  bytes: Uint8Array
}

/** Running totals kept in the same transactions as the blocks they count. */
export interface BlockTotals {
  blocks: number
  bytes: number
}

/** The schema of Cairn's IndexedDB database. */
export interface CairnSchema extends DBSchema {
  blocks: { key: BlockKey, value: BlockRecord }
  totals: { key: 'blocks', value: BlockTotals }
}

/** The database name used by the app; tests pass their own. */
export const DEFAULT_DATABASE = 'cairn'
const VERSION = 1

/** Opens (and creates or upgrades) Cairn's database. */
export async function openCairnDatabase (name: string = DEFAULT_DATABASE): Promise<IDBPDatabase<CairnSchema>> {
  return openDB<CairnSchema>(name, VERSION, {
    upgrade (db) {
      if (!db.objectStoreNames.contains('blocks')) db.createObjectStore('blocks')
      if (!db.objectStoreNames.contains('totals')) db.createObjectStore('totals')
    }
  })
}
