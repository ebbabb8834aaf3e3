import type { IDBPDatabase } from 'idb'
import type { ImportLog, ImportRecord } from '../content/imports/import-log.ts'
import type { CairnSchema } from './database.ts'

/** The record of CAR imports in Cairn's IndexedDB database (`imports` store). */
export class IdbImportLog implements ImportLog {
  private readonly db: IDBPDatabase<CairnSchema>

  constructor (db: IDBPDatabase<CairnSchema>) {
    this.db = db
  }

  async save (record: ImportRecord): Promise<void> {
    await this.db.put('imports', record)
  }

  async remove (id: string): Promise<void> {
    await this.db.delete('imports', id)
  }

  async list (): Promise<ImportRecord[]> {
    const all = await this.db.getAll('imports')
    return all.sort((a, b) => b.startedAt - a.startedAt)
  }
}
