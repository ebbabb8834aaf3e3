import type { IDBPDatabase } from 'idb'
import type { RoomState, RoomStore, StoredMessage } from '../rooms/room-store.ts'
import type { CairnSchema } from './database.ts'

/** Messages kept per room; older ones are deleted as new ones arrive. */
export const HISTORY_PER_ROOM = 500

/** Rooms, nickname and message history in Cairn's IndexedDB database. */
export class IdbRoomStore implements RoomStore {
  private readonly db: IDBPDatabase<CairnSchema>
  private appended = 0

  constructor (db: IDBPDatabase<CairnSchema>) {
    this.db = db
  }

  async load (): Promise<RoomState | undefined> {
    return this.db.get('rooms', 'state')
  }

  async save (state: RoomState): Promise<void> {
    await this.db.put('rooms', { rooms: [...state.rooms], nick: state.nick }, 'state')
  }

  async append (message: StoredMessage): Promise<void> {
    await this.db.add('messages', message)
    if (++this.appended % 50 === 0) await this.trim(message.room)
  }

  async history (room: string, limit: number): Promise<StoredMessage[]> {
    const range = IDBKeyRange.bound([room, -Infinity], [room, Infinity])
    const out: StoredMessage[] = []
    let cursor = await this.db.transaction('messages').store.index('byRoom').openCursor(range, 'prev')
    while (cursor !== null && out.length < limit) {
      out.push(cursor.value)
      cursor = await cursor.continue()
    }
    return out.reverse()
  }

  /** Deletes all but the newest `HISTORY_PER_ROOM` messages of a room. */
  private async trim (room: string): Promise<void> {
    const tx = this.db.transaction('messages', 'readwrite')
    let cursor = await tx.store.index('byRoom').openCursor(IDBKeyRange.bound([room, -Infinity], [room, Infinity]), 'prev')
    for (let kept = 0; cursor !== null; kept++) {
      if (kept >= HISTORY_PER_ROOM) await cursor.delete()
      cursor = await cursor.continue()
    }
    await tx.done
  }
}
