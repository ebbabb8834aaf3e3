import type { IDBPDatabase } from 'idb'
import type { NetworkSettings, SettingsStore } from '../p2p/settings.ts'
import type { CairnSchema } from './database.ts'

/** Network settings in Cairn's IndexedDB database (`settings` store). */
export class IdbSettingsStore implements SettingsStore {
  private readonly db: IDBPDatabase<CairnSchema>

  constructor (db: IDBPDatabase<CairnSchema>) {
    this.db = db
  }

  async load (): Promise<NetworkSettings | undefined> {
    return this.db.get('settings', 'network')
  }

  async save (settings: NetworkSettings): Promise<void> {
    await this.db.put('settings', settings, 'network')
  }
}
