import type { IDBPDatabase } from 'idb'
import type { IdentityRecord, IdentityStore } from '../p2p/identity.ts'
import type { CairnSchema } from './database.ts'

/** The node's identity in Cairn's IndexedDB database (`identity` store). */
export class IdbIdentityStore implements IdentityStore {
  private readonly db: IDBPDatabase<CairnSchema>

  constructor (db: IDBPDatabase<CairnSchema>) {
    this.db = db
  }

  async load (): Promise<IdentityRecord | undefined> {
    return this.db.get('identity', 'self')
  }

  async keepFirst (record: IdentityRecord): Promise<IdentityRecord> {
    // One transaction: of two workers starting at once, the second finds the first's key.
    const tx = this.db.transaction('identity', 'readwrite')
    const raced = await tx.store.get('self')
    if (raced === undefined) await tx.store.put(record, 'self')
    await tx.done
    return raced ?? record
  }
}
