import type { CID } from 'multiformats/cid'
import type { BaseBlockstore } from './base-blockstore.ts'
import type { StoreLock } from './store-lock.ts'

interface Waiting {
  cid: CID
  bytes: Uint8Array
  done: (err?: unknown) => void
}

/**
 * Writes blocks the way a database commits a group: puts that arrive while a write is running
 * wait and go together in the next one (one `putMany`, so one IndexedDB transaction, under one
 * hold of the store lock). Fetched blocks arrive a few at a time; one transaction each would
 * bound a fetch by IndexedDB's per-transaction cost. Each caller learns how its batch ended.
 */
export class GroupCommit {
  private readonly blockstore: BaseBlockstore
  private readonly lock: StoreLock
  private queue: Waiting[] = []
  private writing = false

  constructor (blockstore: BaseBlockstore, lock: StoreLock) {
    this.blockstore = blockstore
    this.lock = lock
  }

  /** Stores a block (verified by the blockstore like any put); resolves once it is committed. */
  async put (cid: CID, bytes: Uint8Array): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.queue.push({ cid, bytes, done: err => { if (err === undefined) resolve(); else reject(err) } })
      void this.drain()
    })
  }

  private async drain (): Promise<void> {
    if (this.writing) return
    this.writing = true
    try {
      while (this.queue.length > 0) {
        const batch = this.queue
        this.queue = []
        try {
          await this.lock.shared(async () => {
            for await (const stored of this.blockstore.putMany(batch.map(({ cid, bytes }) => ({ cid, bytes })))) void stored
          })
          for (const waiting of batch) waiting.done()
        } catch (err) {
          for (const waiting of batch) waiting.done(err)
        }
      }
    } finally {
      this.writing = false
    }
  }
}
