import type { IDBPDatabase } from 'idb'
import type { AbortOptions } from 'abort-error'
import type { InputPair, Pair } from 'interface-blockstore'
import { NotFoundError } from 'interface-store'
import { CID } from 'multiformats/cid'
import { identity } from 'multiformats/hashes/identity'
import { logger } from '@libp2p/logger'
import { toString } from 'uint8arrays/to-string'
import { BaseBlockstore, collectBytes, oneChunk, type BlockstoreInit, type BlockstoreStat } from '../content/blockstore/base-blockstore.ts'
import type { Added, JournaledBlockstore } from '../content/blockstore/journaled-blockstore.ts'
import { verifyBlock } from '../content/hashing.ts'
import { isQuotaExceeded, storageFull } from './storage-full.ts'
import type { BlockKey, BlockRecord, CairnSchema } from './database.ts'

const log = logger('cairn:storage:blockstore')

/** Options for the IndexedDB blockstore. */
export interface IdbBlockstoreInit extends BlockstoreInit {
  /** Flush a `putMany` batch once it holds this many bytes (default 8 MiB). */
  batchBytes?: number
  /** Flush a `putMany` batch once it holds this many blocks (default 1024). */
  batchBlocks?: number
}

/** A compact copy when `bytes` is a view into a larger buffer (IndexedDB would store it all). */
function compact (bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice()) as Uint8Array<ArrayBuffer>
}

const PAGE = 64
/** Keys read per page when listing every block (a key is ~34 bytes). */
const KEY_PAGE = 16_384

/** The CID a record was stored under, or undefined when its bytes are not a CID multiformats reads. */
function readStoredCid (record: BlockRecord): CID | undefined {
  try {
    return CID.decode(record.cid)
  } catch {
    return undefined
  }
}

/** The IndexedDB key of a CID's block: its multihash bytes. */
function keyOf (cid: CID): BlockKey {
  return compact(cid.multihash.bytes) as BlockKey
}

/**
 * An `interface-blockstore` on IndexedDB. Blocks are keyed by multihash, so CIDv0 and CIDv1
 * of the same data share one record. `putMany` writes each batch in one `relaxed` transaction,
 * skipping blocks already stored. Identity CIDs are answered from the CID itself.
 */
export class IdbBlockstore extends BaseBlockstore implements JournaledBlockstore {
  private readonly db: IDBPDatabase<CairnSchema>
  private readonly verify: boolean
  private readonly batchBytes: number
  private readonly batchBlocks: number

  constructor (db: IDBPDatabase<CairnSchema>, init: IdbBlockstoreInit = {}) {
    super()
    this.db = db
    this.verify = init.verify ?? true
    this.batchBytes = init.batchBytes ?? 8 * 1024 * 1024
    this.batchBlocks = init.batchBlocks ?? 1024
  }

  async has (cid: CID, options?: AbortOptions): Promise<boolean> {
    options?.signal?.throwIfAborted()
    if (cid.multihash.code === identity.code) return true
    return (await this.db.getKey('blocks', keyOf(cid))) !== undefined
  }

  async * putMany (source: Iterable<InputPair> | AsyncIterable<InputPair>, options?: AbortOptions): AsyncGenerator<CID> {
    options?.signal?.throwIfAborted()
    let batch: Array<{ cid: CID, bytes: Uint8Array }> = []
    let size = 0
    for await (const { cid, bytes } of source) {
      options?.signal?.throwIfAborted()
      const block = await collectBytes(bytes)
      if (this.verify) await verifyBlock(cid, block)
      batch.push({ cid, bytes: block })
      size += block.length
      if (size >= this.batchBytes || batch.length >= this.batchBlocks) {
        await this.writeBatch(batch)
        yield * batch.map(b => b.cid)
        batch = []
        size = 0
      }
    }
    if (batch.length > 0) {
      await this.writeBatch(batch)
      yield * batch.map(b => b.cid)
    }
  }

  /** Writes an import's verified batch in one transaction, journaled (see `JournaledBlockstore`). */
  async putVerifiedForImport (batch: ReadonlyArray<{ cid: CID, bytes: Uint8Array }>, importId: string): Promise<Added> {
    return this.writeBatch(batch, importId)
  }

  /**
   * Writes blocks in one transaction and updates the totals in the same transaction. A block
   * that is already stored stays; if a *different* import had added it, its journal mark is
   * removed, since the block is now wanted by this write too.
   */
  private async writeBatch (batch: ReadonlyArray<{ cid: CID, bytes: Uint8Array }>, importId?: string): Promise<Added> {
    const tx = this.db.transaction(['blocks', 'totals', 'journal'], 'readwrite', { durability: 'relaxed' })
    // Its failure is reported through the requests below; `done` must not be left unhandled.
    tx.done.catch(() => {})
    const blocks = tx.objectStore('blocks')
    const journal = tx.objectStore('journal')
    let added = 0
    let addedBytes = 0
    const unique = new Map(batch.filter(b => b.cid.multihash.code !== identity.code).map(b => [keyOf(b.cid).join(), b]))
    const writes = [...unique.values()].map(async ({ cid, bytes }) => {
      const key = keyOf(cid)
      if (await blocks.getKey(key) !== undefined) {
        const mark = await journal.get(key)
        if (mark !== undefined && mark.importId !== importId) await journal.delete(key)
        return
      }
      added++
      addedBytes += bytes.length
      await blocks.put({ cid: compact(cid.bytes), bytes: compact(bytes) }, key)
      if (importId !== undefined) await journal.put({ importId }, key)
    })
    const totals = tx.objectStore('totals')
    try {
      await Promise.all(writes)
      const current = await totals.get('blocks') ?? { blocks: 0, bytes: 0 }
      await totals.put({ blocks: current.blocks + added, bytes: current.bytes + addedBytes }, 'blocks')
      await tx.done
    } catch (err) {
      // The transaction is rolled back as a whole: none of the batch is stored.
      if (isQuotaExceeded(err) || isQuotaExceeded(tx.error)) throw await storageFull(`${batch.length} block${batch.length === 1 ? '' : 's'}`, addedBytes, err)
      throw err
    }
    log('stored %d new of %d blocks (%d bytes)', added, batch.length, addedBytes)
    return { blocks: added, bytes: addedBytes }
  }

  /**
   * Deletes up to `limit` blocks an import added (per its journal) and their marks, in one
   * transaction. Returns how many were removed; 0 means the import left nothing behind.
   */
  async rollBackImport (importId: string, limit = 512): Promise<number> {
    const tx = this.db.transaction(['blocks', 'totals', 'journal'], 'readwrite')
    const keys = await tx.objectStore('journal').index('byImport').getAllKeys(importId, limit)
    let removed = 0
    let removedBytes = 0
    for (const key of keys) {
      const record = await tx.objectStore('blocks').get(key)
      if (record !== undefined) {
        removed++
        removedBytes += record.bytes.length
        await tx.objectStore('blocks').delete(key)
      }
      await tx.objectStore('journal').delete(key)
    }
    const current = await tx.objectStore('totals').get('blocks')
    if (current !== undefined && removed > 0) {
      await tx.objectStore('totals').put({ blocks: current.blocks - removed, bytes: current.bytes - removedBytes }, 'blocks')
    }
    await tx.done
    return keys.length
  }

  /** Forgets an import's journal marks (it committed): its blocks stay. */
  async commitImport (importId: string, limit = 4096): Promise<number> {
    const tx = this.db.transaction('journal', 'readwrite')
    const keys = await tx.store.index('byImport').getAllKeys(importId, limit)
    await Promise.all(keys.map(async key => tx.store.delete(key)))
    await tx.done
    return keys.length
  }

  async getBytes (cid: CID, options?: AbortOptions): Promise<Uint8Array> {
    options?.signal?.throwIfAborted()
    if (cid.multihash.code === identity.code) return cid.multihash.digest
    const record = await this.db.get('blocks', keyOf(cid))
    if (record === undefined) throw new NotFoundError(`block ${cid} is not stored`)
    return record.bytes
  }

  async delete (cid: CID, options?: AbortOptions): Promise<void> {
    options?.signal?.throwIfAborted()
    const tx = this.db.transaction(['blocks', 'totals'], 'readwrite')
    const record = await tx.objectStore('blocks').get(keyOf(cid))
    if (record !== undefined) {
      await tx.objectStore('blocks').delete(keyOf(cid))
      const current = await tx.objectStore('totals').get('blocks')
      if (current !== undefined) {
        await tx.objectStore('totals').put({ blocks: current.blocks - 1, bytes: current.bytes - record.bytes.length }, 'blocks')
      }
    }
    await tx.done
  }

  async * getAll (options?: AbortOptions): AsyncGenerator<Pair> {
    options?.signal?.throwIfAborted()
    let after: BlockKey | undefined
    while (true) {
      // One short transaction per page: a transaction cannot stay open while the consumer awaits.
      const range = after === undefined ? undefined : IDBKeyRange.lowerBound(after, true)
      const tx = this.db.transaction('blocks', 'readonly')
      const [keys, records] = await Promise.all([
        tx.store.getAllKeys(range, PAGE),
        tx.store.getAll(range, PAGE)
      ]) as [BlockKey[], BlockRecord[]]
      for (const record of records) {
        options?.signal?.throwIfAborted()
        const cid = readStoredCid(record)
        if (cid === undefined) {
          // One unreadable record (written by an older build, or damaged) must not hide the rest.
          log.error('skipping a block record whose CID cannot be decoded: %s', toString(record.cid, 'base16'))
          continue
        }
        yield { cid, bytes: oneChunk(record.bytes) }
      }
      if (keys.length < PAGE) return
      after = keys[keys.length - 1]
    }
  }

  override async readMany (cids: CID[], options?: AbortOptions): Promise<Array<Uint8Array | undefined>> {
    options?.signal?.throwIfAborted()
    const tx = this.db.transaction('blocks', 'readonly')
    const records = await Promise.all(cids.map(async cid => cid.multihash.code === identity.code ? undefined : tx.store.get(keyOf(cid))))
    return cids.map((cid, i) => cid.multihash.code === identity.code ? cid.multihash.digest : records[i]?.bytes)
  }

  override async hasMany (cids: CID[], options?: AbortOptions): Promise<boolean[]> {
    options?.signal?.throwIfAborted()
    const tx = this.db.transaction('blocks', 'readonly')
    return Promise.all(cids.map(async cid => cid.multihash.code === identity.code || await tx.store.getKey(keyOf(cid)) !== undefined))
  }

  async * multihashes (options?: AbortOptions): AsyncGenerator<Uint8Array[]> {
    let after: BlockKey | undefined
    while (true) {
      options?.signal?.throwIfAborted()
      const range = after === undefined ? undefined : IDBKeyRange.lowerBound(after, true)
      const keys = await this.db.getAllKeys('blocks', range, KEY_PAGE)
      // Binary keys come back from IndexedDB as ArrayBuffers.
      if (keys.length > 0) yield keys.map(key => new Uint8Array(key as unknown as ArrayBuffer))
      if (keys.length < KEY_PAGE) return
      after = keys[keys.length - 1]
    }
  }

  /** Deletes blocks by multihash in one transaction, with the totals and any journal marks. */
  async deleteMultihashes (multihashes: Uint8Array[]): Promise<BlockstoreStat> {
    const tx = this.db.transaction(['blocks', 'totals', 'journal'], 'readwrite', { durability: 'relaxed' })
    const blocks = tx.objectStore('blocks')
    // Marks exist only while an import runs (or until a cut-short one is rolled back).
    const journaled = await tx.objectStore('journal').count() > 0
    const freed = { blocks: 0, bytes: 0 }
    await Promise.all(multihashes.map(async multihash => {
      const key = compact(multihash) as BlockKey
      const record = await blocks.get(key)
      if (record === undefined) return
      freed.blocks++
      freed.bytes += record.bytes.length
      await blocks.delete(key)
      if (journaled) await tx.objectStore('journal').delete(key)
    }))
    if (freed.blocks > 0) {
      const current = await tx.objectStore('totals').get('blocks') ?? { blocks: 0, bytes: 0 }
      await tx.objectStore('totals').put({ blocks: current.blocks - freed.blocks, bytes: current.bytes - freed.bytes }, 'blocks')
    }
    await tx.done
    return freed
  }

  async stat (): Promise<BlockstoreStat> {
    return await this.db.get('totals', 'blocks') ?? { blocks: 0, bytes: 0 }
  }
}
