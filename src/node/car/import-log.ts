import type { IDBPDatabase } from 'idb'
import type { CairnSchema, ImportRecord } from '../database.ts'

/** The record of CAR imports in IndexedDB: which are running, which are done. */
export class ImportLog {
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

  /** Every import, newest first. */
  async list (): Promise<ImportRecord[]> {
    const all = await this.db.getAll('imports')
    return all.sort((a, b) => b.startedAt - a.startedAt)
  }
}
