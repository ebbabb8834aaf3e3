import type { IDBPDatabase } from 'idb'
import type { SettingsStore } from '../lib/settings-store.ts'
import type { CairnSchema, SettingsRecords } from './database.ts'

/** One group of settings in Cairn's IndexedDB database (`settings` store, under its key). */
export class IdbSettingsStore<K extends keyof SettingsRecords> implements SettingsStore<SettingsRecords[K]> {
  private readonly db: IDBPDatabase<CairnSchema>
  private readonly key: K

  constructor (db: IDBPDatabase<CairnSchema>, key: K) {
    this.db = db
    this.key = key
  }

  async load (): Promise<SettingsRecords[K] | undefined> {
    return await this.db.get('settings', this.key) as SettingsRecords[K] | undefined
  }

  async save (settings: SettingsRecords[K]): Promise<void> {
    await this.db.put('settings', settings, this.key)
  }
}
