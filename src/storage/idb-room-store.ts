import type { IDBPDatabase } from 'idb'
import type { RoomState, RoomStore } from '../rooms/room-store.ts'
import type { CairnSchema } from './database.ts'

/** Rooms joined, their history's heads, the history limit and the nickname, in Cairn's IndexedDB database. */
export class IdbRoomStore implements RoomStore {
  private readonly db: IDBPDatabase<CairnSchema>

  constructor (db: IDBPDatabase<CairnSchema>) {
    this.db = db
  }

  async load (): Promise<RoomState | undefined> {
    return this.db.get('rooms', 'state')
  }

  async save (state: RoomState): Promise<void> {
    const record: RoomState = { rooms: [...state.rooms], nick: state.nick }
    if (state.heads !== undefined) record.heads = structuredClone(state.heads)
    if (state.historyLimit !== undefined) record.historyLimit = state.historyLimit
    await this.db.put('rooms', record, 'state')
  }
}
