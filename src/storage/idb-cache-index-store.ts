import type { IDBPDatabase } from 'idb'
import type { CacheEntry, CacheIndexStore } from '../library/cache-index.ts'
import type { CairnSchema } from './database.ts'

/** The index of opened content in Cairn's IndexedDB database (`cache` store). */
export class IdbCacheIndexStore implements CacheIndexStore {
  private readonly db: IDBPDatabase<CairnSchema>

  constructor (db: IDBPDatabase<CairnSchema>) {
    this.db = db
  }

  async put (entry: CacheEntry): Promise<void> {
    await this.db.put('cache', entry)
  }

  async delete (cid: string): Promise<void> {
    await this.db.delete('cache', cid)
  }

  async list (): Promise<CacheEntry[]> {
    return this.db.getAll('cache')
  }
}
