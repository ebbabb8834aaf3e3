import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import type { NetworkSettings } from '../p2p/settings.ts'
import type { RoomState, StoredMessage } from '../rooms/room-store.ts'

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

/** A CAR import: running until it commits or is rolled back. */
export interface ImportRecord {
  id: string
  /** The file name the user picked, for display. */
  name: string
  state: 'running' | 'done'
  /** Root CIDs (text), known once the header is read. */
  roots: string[]
  blocks: number
  bytes: number
  /** Blocks this import added that were not stored before. */
  newBlocks: number
  startedAt: number
  finishedAt?: number
}

/**
 * Marks a block as added by a running import, so that a rejected or interrupted import can
 * take back exactly what it added. Keyed by the block's key; an ordinary put of the same
 * block removes the mark (the block is then wanted regardless of the import).
 */
export interface JournalRecord {
  importId: string
}

/** Values the network keeps across restarts, by key: `identity`, `settings`, `rooms`. */
export interface P2pRecords {
  /** The node's private key, protobuf-encoded, made once. */
  identity: { privateKey: Uint8Array, createdAt: number }
  settings: NetworkSettings
  rooms: RoomState
}

/** The schema of Cairn's IndexedDB database. */
export interface CairnSchema extends DBSchema {
  blocks: { key: BlockKey, value: BlockRecord }
  totals: { key: 'blocks', value: BlockTotals }
  imports: { key: string, value: ImportRecord }
  journal: { key: BlockKey, value: JournalRecord, indexes: { byImport: string } }
  p2p: { key: keyof P2pRecords, value: P2pRecords[keyof P2pRecords] }
  messages: { key: number, value: StoredMessage, indexes: { byRoom: [string, number] } }
}

/** The database name used by the app; tests pass their own. */
export const DEFAULT_DATABASE = 'cairn'
const VERSION = 3

/** Opens (and creates or upgrades) Cairn's database. */
export async function openCairnDatabase (name: string = DEFAULT_DATABASE): Promise<IDBPDatabase<CairnSchema>> {
  return openDB<CairnSchema>(name, VERSION, {
    blocking (_current, _next, event) {
      // A newer app version wants to upgrade the schema: let it.
      (event.target as IDBDatabase).close()
    },
    upgrade (db) {
      if (!db.objectStoreNames.contains('blocks')) db.createObjectStore('blocks')
      if (!db.objectStoreNames.contains('totals')) db.createObjectStore('totals')
      if (!db.objectStoreNames.contains('imports')) db.createObjectStore('imports', { keyPath: 'id' })
      if (!db.objectStoreNames.contains('journal')) {
        db.createObjectStore('journal').createIndex('byImport', 'importId')
      }
      if (!db.objectStoreNames.contains('p2p')) db.createObjectStore('p2p')
      if (!db.objectStoreNames.contains('messages')) {
        db.createObjectStore('messages', { autoIncrement: true }).createIndex('byRoom', ['room', 'receivedAt'])
      }
    }
  })
}
