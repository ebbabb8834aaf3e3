import { unwrap, type IDBPDatabase } from 'idb'
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
import { IMPORT_MARK, type BlockKey, type BlockRecord, type CairnSchema } from './database.ts'

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

/** A block key as text, to compare keys read back (as ArrayBuffers) with keys written. */
function keyText (key: BlockKey | ArrayBuffer): string {
  return (key instanceof ArrayBuffer ? new Uint8Array(key) : key).join()
}

/** The key range of an import's marks, or of one kind of them. */
function marksOf (importId: string, kind?: number): IDBKeyRange {
  return kind === undefined ? IDBKeyRange.bound([importId], [importId, []]) : IDBKeyRange.bound([importId, kind], [importId, kind, []])
}

function sizeOf (batch: ReadonlyArray<{ bytes: Uint8Array }>): number {
  return batch.reduce((n, b) => n + b.bytes.length, 0)
}

/**
 * Adds each block unless its key is already stored: one `add` request per block, on the
 * plain IndexedDB API (a rejected `add` of a present key is caught before it can abort the
 * transaction — `idb`'s promises cannot do that, and cost more per request). Resolves when
 * every request has answered, with the keys added and the keys already present.
 */
async function addNew (store: IDBObjectStore, blocks: ReadonlyArray<{ cid: CID, bytes: Uint8Array }>): Promise<{ added: BlockKey[], present: BlockKey[], bytes: number }> {
  const added: BlockKey[] = []
  const present: BlockKey[] = []
  let bytes = 0
  if (blocks.length === 0) return { added, present, bytes }
  return new Promise((resolve, reject) => {
    let left = blocks.length
    const answered = (): void => { if (--left === 0) resolve({ added, present, bytes }) }
    for (const { cid, bytes: data } of blocks) {
      const key = keyOf(cid)
      const request = store.add({ cid: compact(cid.bytes), bytes: compact(data) }, key)
      request.onsuccess = () => {
        added.push(key)
        bytes += data.length
        answered()
      }
      request.onerror = event => {
        if (request.error?.name !== 'ConstraintError') {
          reject(request.error ?? new Error('IndexedDB refused a block'))
          return
        }
        // Already stored: not an error for this transaction (nor for its `done`).
        event.preventDefault()
        event.stopPropagation()
        present.push(key)
        answered()
      }
    }
  })
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
  /** Imports running on this store: a block one of them added, written again by another, is marked kept for it. */
  private readonly running = new Set<string>()
  /** Sequence of import marks written by this store (their keys' last part). */
  private seq = 0

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

  /** Writes an import's verified batch in one transaction, marked (see `JournaledBlockstore`). */
  async putVerifiedForImport (batch: ReadonlyArray<{ cid: CID, bytes: Uint8Array }>, importId: string): Promise<Added> {
    this.running.add(importId)
    return this.writeBatch(batch, importId)
  }

  /**
   * Writes blocks in one transaction and updates the totals in the same transaction. A block
   * that is already stored stays; if imports are running, it is marked kept for each of them
   * (but the writer's own), so their rollback leaves it: it is wanted by this write too.
   */
  private async writeBatch (batch: ReadonlyArray<{ cid: CID, bytes: Uint8Array }>, importId?: string): Promise<Added> {
    const tx = this.db.transaction(['blocks', 'totals', 'importMarks'], 'readwrite', { durability: 'relaxed' })
    // Its failure is reported through the requests below; `done` must not be left unhandled.
    tx.done.catch(() => {})
    const unique = new Map(batch.filter(b => b.cid.multihash.code !== identity.code).map(b => [keyOf(b.cid).join(), b]))
    try {
      const { added, present, bytes } = await addNew(unwrap(tx.objectStore('blocks')), [...unique.values()])
      const marks = tx.objectStore('importMarks')
      const writes: Array<Promise<unknown>> = []
      if (importId !== undefined && added.length > 0) writes.push(marks.put({ keys: added }, [importId, IMPORT_MARK.ADDED, this.seq++]))
      for (const other of present.length > 0 ? this.running : []) {
        if (other !== importId) writes.push(marks.put({ keys: present }, [other, IMPORT_MARK.KEPT, this.seq++]))
      }
      if (added.length > 0) {
        const totals = tx.objectStore('totals')
        const current = await totals.get('blocks') ?? { blocks: 0, bytes: 0 }
        writes.push(totals.put({ blocks: current.blocks + added.length, bytes: current.bytes + bytes }, 'blocks'))
      }
      await Promise.all(writes)
      await tx.done
      log('stored %d new of %d blocks (%d bytes)', added.length, batch.length, bytes)
      this.stored(batch.map(b => b.cid))
      return { blocks: added.length, bytes }
    } catch (err) {
      // The transaction is rolled back as a whole: none of the batch is stored.
      if (isQuotaExceeded(err) || isQuotaExceeded(tx.error)) throw await storageFull(`${batch.length} block${batch.length === 1 ? '' : 's'}`, sizeOf(batch), err)
      throw err
    }
  }

  /**
   * Deletes the blocks of one of an import's batches (as marked; those another write kept
   * stay) and the mark, in one transaction. Returns how many blocks the mark listed; 0 means
   * the import left nothing behind (its marks are then gone).
   */
  async rollBackImport (importId: string): Promise<number> {
    const tx = this.db.transaction(['blocks', 'totals', 'importMarks'], 'readwrite')
    const marks = tx.objectStore('importMarks')
    const mark = await marks.openCursor(marksOf(importId, IMPORT_MARK.ADDED))
    if (mark === null) {
      await marks.delete(marksOf(importId))
      await tx.done
      this.running.delete(importId)
      return 0
    }
    const kept = new Set((await marks.getAll(marksOf(importId, IMPORT_MARK.KEPT))).flatMap(k => k.keys.map(keyText)))
    const blocks = tx.objectStore('blocks')
    let removed = 0
    let removedBytes = 0
    await Promise.all(mark.value.keys.filter(key => !kept.has(keyText(key))).map(async key => {
      const record = await blocks.get(key)
      if (record === undefined) return
      removed++
      removedBytes += record.bytes.length
      await blocks.delete(key)
    }))
    await mark.delete()
    const current = await tx.objectStore('totals').get('blocks')
    if (current !== undefined && removed > 0) {
      await tx.objectStore('totals').put({ blocks: current.blocks - removed, bytes: current.bytes - removedBytes }, 'blocks')
    }
    await tx.done
    return Math.max(1, mark.value.keys.length)
  }

  /** Forgets an import's marks (it committed) in one request: its blocks stay. */
  async commitImport (importId: string): Promise<void> {
    await this.db.delete('importMarks', marksOf(importId))
    this.running.delete(importId)
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

  /**
   * Deletes blocks by multihash in one transaction, with the totals. (Import marks are left:
   * collection never runs during an import, and a rollback skips blocks already gone.)
   */
  async deleteMultihashes (multihashes: Uint8Array[]): Promise<BlockstoreStat> {
    const tx = this.db.transaction(['blocks', 'totals'], 'readwrite', { durability: 'relaxed' })
    const blocks = tx.objectStore('blocks')
    const freed = { blocks: 0, bytes: 0 }
    await Promise.all(multihashes.map(async multihash => {
      const key = compact(multihash) as BlockKey
      const record = await blocks.get(key)
      if (record === undefined) return
      freed.blocks++
      freed.bytes += record.bytes.length
      await blocks.delete(key)
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
