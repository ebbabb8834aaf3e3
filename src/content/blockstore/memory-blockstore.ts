import type { AbortOptions } from 'abort-error'
import type { InputPair, Pair } from 'interface-blockstore'
import { NotFoundError } from 'interface-store'
import type { CID } from 'multiformats/cid'
import { identity } from 'multiformats/hashes/identity'
import { verifyBlock } from '../hashing.ts'
import { BaseBlockstore, collectBytes, oneChunk, type BlockstoreInit, type BlockstoreStat } from './base-blockstore.ts'
import type { Added, JournaledBlockstore } from './journaled-blockstore.ts'

const hex = (bytes: Uint8Array): string => Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('')

/**
 * A blockstore in memory, keyed by multihash, with the import journal of the IndexedDB one.
 * For unit tests of logic and Node.js tools, not for the product.
 */
export class MemoryBlockstore extends BaseBlockstore implements JournaledBlockstore {
  private readonly blocks = new Map<string, { cid: CID, bytes: Uint8Array }>()
  /** Import id per block key, for blocks an import added and has not committed. */
  private readonly journal = new Map<string, string>()
  private readonly verify: boolean

  constructor (init: BlockstoreInit = {}) {
    super()
    this.verify = init.verify ?? true
  }

  async has (cid: CID, options?: AbortOptions): Promise<boolean> {
    options?.signal?.throwIfAborted()
    return cid.multihash.code === identity.code || this.blocks.has(hex(cid.multihash.bytes))
  }

  async * putMany (source: Iterable<InputPair> | AsyncIterable<InputPair>, options?: AbortOptions): AsyncGenerator<CID> {
    for await (const { cid, bytes } of source) {
      options?.signal?.throwIfAborted()
      const block = await collectBytes(bytes)
      if (this.verify) await verifyBlock(cid, block)
      if (cid.multihash.code !== identity.code) {
        const key = hex(cid.multihash.bytes)
        this.journal.delete(key)
        if (!this.blocks.has(key)) this.blocks.set(key, { cid, bytes: block.slice() })
      }
      this.stored([cid])
      yield cid
    }
  }

  async putVerifiedForImport (batch: ReadonlyArray<{ cid: CID, bytes: Uint8Array }>, importId: string): Promise<Added> {
    const added = { blocks: 0, bytes: 0 }
    for (const { cid, bytes } of batch) {
      if (cid.multihash.code === identity.code) continue
      const key = hex(cid.multihash.bytes)
      if (this.blocks.has(key)) {
        if (this.journal.has(key) && this.journal.get(key) !== importId) this.journal.delete(key)
        continue
      }
      this.blocks.set(key, { cid, bytes: bytes.slice() })
      this.journal.set(key, importId)
      added.blocks++
      added.bytes += bytes.length
    }
    this.stored(batch.map(b => b.cid))
    return added
  }

  async rollBackImport (importId: string): Promise<number> {
    const keys = [...this.journal].filter(([, id]) => id === importId).slice(0, 512).map(([key]) => key)
    for (const key of keys) {
      this.blocks.delete(key)
      this.journal.delete(key)
    }
    return keys.length
  }

  async commitImport (importId: string): Promise<void> {
    for (const [key, id] of [...this.journal]) if (id === importId) this.journal.delete(key)
  }

  async getBytes (cid: CID, options?: AbortOptions): Promise<Uint8Array> {
    options?.signal?.throwIfAborted()
    if (cid.multihash.code === identity.code) return cid.multihash.digest
    const entry = this.blocks.get(hex(cid.multihash.bytes))
    if (entry === undefined) throw new NotFoundError(`block ${cid} is not stored`)
    return entry.bytes
  }

  async delete (cid: CID, options?: AbortOptions): Promise<void> {
    options?.signal?.throwIfAborted()
    this.blocks.delete(hex(cid.multihash.bytes))
    this.journal.delete(hex(cid.multihash.bytes))
  }

  async * getAll (options?: AbortOptions): AsyncGenerator<Pair> {
    for (const { cid, bytes } of [...this.blocks.values()]) {
      options?.signal?.throwIfAborted()
      yield { cid, bytes: oneChunk(bytes) }
    }
  }

  async * multihashes (options?: AbortOptions): AsyncGenerator<Uint8Array[]> {
    const all = [...this.blocks.values()].map(entry => entry.cid.multihash.bytes)
    for (let at = 0; at < all.length; at += 1000) {
      options?.signal?.throwIfAborted()
      yield all.slice(at, at + 1000)
    }
  }

  async deleteMultihashes (multihashes: Uint8Array[]): Promise<BlockstoreStat> {
    const freed = { blocks: 0, bytes: 0 }
    for (const multihash of multihashes) {
      const key = hex(multihash)
      const entry = this.blocks.get(key)
      if (entry === undefined) continue
      freed.blocks++
      freed.bytes += entry.bytes.length
      this.blocks.delete(key)
      this.journal.delete(key)
    }
    return freed
  }

  async stat (): Promise<BlockstoreStat> {
    let bytes = 0
    for (const entry of this.blocks.values()) bytes += entry.bytes.length
    return { blocks: this.blocks.size, bytes }
  }
}
