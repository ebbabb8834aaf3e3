import type { IDBPDatabase } from 'idb'
import type { PinRecord, PinStore } from '../library/pins.ts'
import type { CairnSchema } from './database.ts'

/** Pins in Cairn's IndexedDB database (`pins` store), next to the blocks they keep. */
export class IdbPinStore implements PinStore {
  private readonly db: IDBPDatabase<CairnSchema>

  constructor (db: IDBPDatabase<CairnSchema>) {
    this.db = db
  }

  async get (cid: string): Promise<PinRecord | undefined> {
    return this.db.get('pins', cid)
  }

  async put (record: PinRecord): Promise<void> {
    await this.db.put('pins', record)
  }

  async delete (cid: string): Promise<void> {
    await this.db.delete('pins', cid)
  }

  async list (): Promise<PinRecord[]> {
    return this.db.getAll('pins')
  }
}
