import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb'
import type { RemotePinRecord } from '../remote/keep-online.ts'
import type { RemoteSettings } from '../remote/services.ts'
import type { NameKeyRecord } from '../names/name-keys.ts'
import type { KeptName } from '../names/name-store.ts'
import type { ImportRecord } from '../content/imports/import-log.ts'
import type { ExchangeSettings } from '../exchange/settings.ts'
import type { CacheEntry } from '../library/cache-index.ts'
import type { PinRecord } from '../library/pins.ts'
import type { LibrarySettings } from '../library/settings.ts'
import type { IdentityRecord } from '../p2p/identity.ts'
import type { NetworkSettings } from '../p2p/settings.ts'
import type { RoomState } from '../rooms/room-store.ts'

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

/**
 * Marks a block as added by a running import, so that a rejected or interrupted import can
 * take back exactly what it added. Keyed by the block's key; an ordinary put of the same
 * block removes the mark (the block is then wanted regardless of the import).
 */
export interface JournalRecord {
  importId: string
}

/** The groups of settings in the `settings` store, by key. */
export interface SettingsRecords {
  network: NetworkSettings
  exchange: ExchangeSettings
  library: LibrarySettings
  remote: RemoteSettings
}

/** The schema of Cairn's IndexedDB database: one typed store per kind of record. */
export interface CairnSchema extends DBSchema {
  blocks: { key: BlockKey, value: BlockRecord }
  totals: { key: 'blocks', value: BlockTotals }
  imports: { key: string, value: ImportRecord }
  journal: { key: BlockKey, value: JournalRecord, indexes: { byImport: string } }
  /** The node's key pair, under `self`. */
  identity: { key: 'self', value: IdentityRecord }
  /** Settings, one record per group (`SettingsRecords`). */
  settings: { key: keyof SettingsRecords, value: SettingsRecords[keyof SettingsRecords] }
  /** Rooms joined and the nickname, under `state`. */
  rooms: { key: 'state', value: RoomState }
  /** Pins, keyed by their root as a CIDv1 string. */
  pins: { key: string, value: PinRecord, indexes: { byPinnedAt: number } }
  /** Content opened, by root (CIDv1 string), with its last use. */
  cache: { key: string, value: CacheEntry }
  /** What IPNS names and DNSLink domains pointed at when last asked, by name (`k51…` or the domain). */
  names: { key: string, value: KeptName }
  /** The keys of names this node publishes, by name (`k51…`). */
  keys: { key: string, value: NameKeyRecord }
  /** Where each pin is kept online (pinning services and their request ids). */
  remote: { key: string, value: RemotePinRecord }
}

/** The database name used by the app; tests pass their own. */
export const DEFAULT_DATABASE = 'cairn'

type UpgradeTransaction = IDBPTransaction<CairnSchema, Array<StoreNames<CairnSchema>>, 'versionchange'>

/**
 * The schema's history: migration `i` takes a database from version `i` to `i + 1`. A new
 * version is a new entry at the end; existing entries never change, so every older database
 * (and a new one, from 0) arrives at the same schema.
 */
const MIGRATIONS: Array<(db: IDBPDatabase<CairnSchema>, tx: UpgradeTransaction) => Promise<void> | void> = [
  // 1: blocks keyed by multihash, with running totals.
  db => {
    db.createObjectStore('blocks')
    db.createObjectStore('totals')
  },
  // 2: CAR imports and the journal that lets one be rolled back.
  db => {
    db.createObjectStore('imports', { keyPath: 'id' })
    db.createObjectStore('journal').createIndex('byImport', 'importId')
  },
  // 3: the network's records (one `p2p` store then) and room messages.
  db => {
    (db as unknown as IDBPDatabase).createObjectStore('p2p')
    ;(db as unknown as IDBPDatabase).createObjectStore('messages', { autoIncrement: true }).createIndex('byRoom', ['room', 'receivedAt'])
  },
  // 4: one typed store per record instead of `p2p` holding a union; records carried over.
  async (db, tx) => {
    db.createObjectStore('identity')
    db.createObjectStore('settings')
    db.createObjectStore('rooms')
    const legacy = (tx as unknown as IDBPTransaction<unknown, string[], 'versionchange'>).objectStore('p2p')
    const [identity, settings, rooms] = await Promise.all(['identity', 'settings', 'rooms'].map(async key => legacy.get(key)))
    if (identity !== undefined) await tx.objectStore('identity').put(identity as IdentityRecord, 'self')
    if (settings !== undefined) await tx.objectStore('settings').put(settings as NetworkSettings, 'network')
    if (rooms !== undefined) await tx.objectStore('rooms').put(rooms as RoomState, 'state')
    ;(db as unknown as IDBPDatabase).deleteObjectStore('p2p')
  },
  // 5: pins.
  db => {
    db.createObjectStore('pins', { keyPath: 'cid' })
  },
  // 6: the index of content opened (recently viewed).
  db => {
    db.createObjectStore('cache', { keyPath: 'cid' })
  },
  // 7: pins by date, so the Library reads its first page without reading every pin.
  (_db, tx) => {
    tx.objectStore('pins').createIndex('byPinnedAt', 'pinnedAt')
  },
  // 8: room messages are history blocks now (heads kept with the rooms); the old live-only
  // messages were never part of a history.
  db => {
    (db as unknown as IDBPDatabase).deleteObjectStore('messages')
  },
  // 9: names (IPNS records and DNSLink answers) kept for offline and stale answers, and the
  // keys of the names this node publishes.
  db => {
    db.createObjectStore('names', { keyPath: 'name' })
    db.createObjectStore('keys', { keyPath: 'id' })
  },
  // 10: where pins are kept online (pinning services), by pin.
  db => {
    db.createObjectStore('remote', { keyPath: 'cid' })
  }
]

/** The schema version this build uses: one per migration. */
export const DATABASE_VERSION = MIGRATIONS.length

/** Opens (and creates or migrates) Cairn's database. */
export async function openCairnDatabase (name: string = DEFAULT_DATABASE): Promise<IDBPDatabase<CairnSchema>> {
  return openDB<CairnSchema>(name, DATABASE_VERSION, {
    blocking (_current, _next, event) {
      // A newer app version wants to upgrade the schema: let it.
      (event.target as IDBDatabase).close()
    },
    async upgrade (db, oldVersion, _newVersion, tx) {
      for (let version = oldVersion; version < DATABASE_VERSION; version++) await MIGRATIONS[version](db, tx)
    }
  })
}
