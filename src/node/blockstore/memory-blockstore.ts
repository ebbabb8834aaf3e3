import type { AbortOptions } from 'abort-error'
import type { InputPair, Pair } from 'interface-blockstore'
import { NotFoundError } from 'interface-store'
import type { CID } from 'multiformats/cid'
import { identity } from 'multiformats/hashes/identity'
import { verifyBlock } from '../hashing.ts'
import { BaseBlockstore, collectBytes, oneChunk, type BlockstoreInit, type BlockstoreStat } from './base-blockstore.ts'

const hex = (bytes: Uint8Array): string => Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('')

/** A blockstore in memory, keyed by multihash. For unit tests of logic, not for the product. */
export class MemoryBlockstore extends BaseBlockstore {
  private readonly blocks = new Map<string, { cid: CID, bytes: Uint8Array }>()
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
      if (cid.multihash.code !== identity.code) this.blocks.set(hex(cid.multihash.bytes), { cid, bytes: block.slice() })
      yield cid
    }
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
  }

  async * getAll (options?: AbortOptions): AsyncGenerator<Pair> {
    for (const { cid, bytes } of [...this.blocks.values()]) {
      options?.signal?.throwIfAborted()
      yield { cid, bytes: oneChunk(bytes) }
    }
  }

  async stat (): Promise<BlockstoreStat> {
    let bytes = 0
    for (const entry of this.blocks.values()) bytes += entry.bytes.length
    return { blocks: this.blocks.size, bytes }
  }
}
