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

/** What an import mark records: `ADDED` or `KEPT` (see `ImportMarkKey`). */
export const IMPORT_MARK = { ADDED: 0, KEPT: 1 } as const

/**
 * An import mark's key: `[importId, kind, seq]`. `ADDED` marks list the blocks one batch of a
 * running import added; `KEPT` marks list blocks another write found already stored while the
 * import ran (wanted by that write too, so a rollback leaves them). An import's marks are one
 * key range, so a commit forgets them in one request.
 */
export type ImportMarkKey = [importId: string, kind: number, seq: number]

/** The block keys of one import mark. */
export interface ImportMarkRecord {
  keys: BlockKey[]
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
  importMarks: { key: ImportMarkKey, value: ImportMarkRecord }
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
  // 2: CAR imports and the journal that lets one be rolled back (a mark per block then).
  db => {
    db.createObjectStore('imports', { keyPath: 'id' })
    ;(db as unknown as IDBPDatabase).createObjectStore('journal').createIndex('byImport', 'importId')
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
  },
  // 11: import marks per batch, keyed by import, instead of a journal record per block (three
  // IndexedDB requests per block became one); the marks of an import cut short are carried
  // over, so it is still rolled back.
  async (db, tx) => {
    db.createObjectStore('importMarks')
    if (!db.objectStoreNames.contains('journal' as StoreNames<CairnSchema>)) return
    const legacy = (tx as unknown as IDBPTransaction<unknown, string[], 'versionchange'>).objectStore('journal')
    const [keys, records] = await Promise.all([legacy.getAllKeys(), legacy.getAll()]) as [BlockKey[], Array<{ importId: string }>]
    const byImport = new Map<string, BlockKey[]>()
    records.forEach(({ importId }, i) => byImport.set(importId, [...byImport.get(importId) ?? [], keys[i]]))
    for (const [importId, marked] of byImport) await tx.objectStore('importMarks').put({ keys: marked }, [importId, IMPORT_MARK.ADDED, 0])
    ;(db as unknown as IDBPDatabase).deleteObjectStore('journal')
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
