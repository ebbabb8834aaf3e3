import type { IDBPDatabase } from 'idb'
import type { CairnSchema } from './database.ts'

/** The stores of records that carry their own key: pins, the cache index and remote pins (`cid`), kept names (`name`), name keys (`id`). */
export type RecordStoreName = 'pins' | 'cache' | 'names' | 'keys' | 'remote'

/**
 * One of Cairn's IndexedDB stores of keyed records, next to the blocks: `cache` is the
 * library's `CacheIndexStore`, `names` the name resolver's `NameStore`, `keys` the name
 * publisher's `NameKeyStore`, `remote` the `RemotePinStore` of "keep online"; `IdbPinStore`
 * adds the pins' first page to it.
 */
export class IdbRecordStore<N extends RecordStoreName> {
  protected readonly db: IDBPDatabase<CairnSchema>
  private readonly name: N

  constructor (db: IDBPDatabase<CairnSchema>, name: N) {
    this.db = db
    this.name = name
  }

  async get (key: string): Promise<CairnSchema[N]['value'] | undefined> {
    return this.db.get(this.name, key)
  }

  async put (record: CairnSchema[N]['value']): Promise<void> {
    await this.db.put(this.name, record)
  }

  async delete (key: string): Promise<void> {
    await this.db.delete(this.name, key)
  }

  async list (): Promise<Array<CairnSchema[N]['value']>> {
    return this.db.getAll(this.name)
  }
}
