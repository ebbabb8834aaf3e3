import type { PinRecord, PinStore } from '../library/pins.ts'
import { IdbRecordStore } from './idb-record-store.ts'

/** Pins in IndexedDB (`pins` store), with the newest read through the `byPinnedAt` index. */
export class IdbPinStore extends IdbRecordStore<'pins'> implements PinStore {
  async newest (limit: number): Promise<{ pins: PinRecord[], total: number }> {
    const tx = this.db.transaction('pins', 'readonly')
    const pins: PinRecord[] = []
    let cursor = await tx.store.index('byPinnedAt').openCursor(null, 'prev')
    while (cursor !== null && pins.length < limit) {
      pins.push(cursor.value)
      cursor = await cursor.continue()
    }
    const total = await tx.store.count()
    return { pins, total }
  }
}
