import type { AbortOptions } from 'abort-error'
import type { Blockstore, InputPair, Pair } from 'interface-blockstore'
import type { CID } from 'multiformats/cid'
import { isNotFound } from '../../lib/not-found.ts'

/** Totals reported by `stat()`. */
export interface BlockstoreStat {
  blocks: number
  bytes: number
}

/** Options for Cairn's blockstores. */
export interface BlockstoreInit {
  /** Check every block's bytes against its CID before storing it (default true). */
  verify?: boolean
}

/** The bytes a caller may hand to `put`: one buffer or a stream of chunks. */
export type BlockInput = InputPair['bytes']

/** Joins a block given as one buffer or as chunks into one compact buffer. */
export async function collectBytes (input: BlockInput): Promise<Uint8Array> {
  if (input instanceof Uint8Array) return input
  const chunks: Uint8Array[] = []
  for await (const chunk of input) chunks.push(chunk)
  if (chunks.length === 1) return chunks[0]
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
  let at = 0
  for (const chunk of chunks) { out.set(chunk, at); at += chunk.length }
  return out
}

/** One stored block, as a generator of a single chunk (the blockstore interface's shape). */
export async function * oneChunk (bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes
}

/**
 * The parts of `interface-blockstore` that follow from `has`, `put`, `putMany`, `get` and
 * `delete`, shared by Cairn's blockstores.
 */
export abstract class BaseBlockstore implements Blockstore {
  private readonly storedListeners = new Set<(cids: CID[]) => void>()

  /**
   * Calls `listener` with the CIDs of every batch of blocks written (new or already there),
   * once the write is done. Returns a function that stops it.
   */
  onStored (listener: (cids: CID[]) => void): () => void {
    this.storedListeners.add(listener)
    return () => { this.storedListeners.delete(listener) }
  }

  /** For the stores: a batch of blocks is written. */
  protected stored (cids: CID[]): void {
    for (const listener of this.storedListeners) listener(cids)
  }

  abstract has (cid: CID, options?: AbortOptions): Promise<boolean>
  abstract putMany (source: Iterable<InputPair> | AsyncIterable<InputPair>, options?: AbortOptions): AsyncGenerator<CID>
  /** A stored block as one buffer. Throws `NotFoundError`. */
  abstract getBytes (cid: CID, options?: AbortOptions): Promise<Uint8Array>
  abstract delete (cid: CID, options?: AbortOptions): Promise<void>
  abstract getAll (options?: AbortOptions): AsyncGenerator<Pair>
  /** How many blocks are stored and their total size in bytes. */
  abstract stat (): Promise<BlockstoreStat>
  /**
   * The multihash of every stored block, a page at a time, reading no block bytes (what
   * garbage collection sweeps over).
   */
  abstract multihashes (options?: AbortOptions): AsyncGenerator<Uint8Array[]>
  /**
   * Many blocks at once, in order, `undefined` for one not stored. Stores that can read them
   * in one transaction do (a DAG walk asks level by level).
   */
  async readMany (cids: CID[], options?: AbortOptions): Promise<Array<Uint8Array | undefined>> {
    return Promise.all(cids.map(async cid => this.getBytes(cid, options).catch((err: unknown) => {
      if (isNotFound(err)) return undefined
      throw err
    })))
  }

  /** Whether each block is stored, reading no bytes; in one transaction where the store can. */
  async hasMany (cids: CID[], options?: AbortOptions): Promise<boolean[]> {
    return Promise.all(cids.map(async cid => this.has(cid, options)))
  }

  /** Deletes the blocks with these multihashes (absent ones are skipped); what was freed. */
  abstract deleteMultihashes (multihashes: Uint8Array[]): Promise<BlockstoreStat>

  async put (cid: CID, bytes: BlockInput, options?: AbortOptions): Promise<CID> {
    options?.signal?.throwIfAborted()
    for await (const stored of this.putMany([{ cid, bytes }], options)) return stored
    return cid
  }

  async * getMany (source: Iterable<CID> | AsyncIterable<CID>, options?: AbortOptions): AsyncGenerator<Pair> {
    for await (const cid of source) {
      options?.signal?.throwIfAborted()
      const bytes = await this.getBytes(cid, options)
      yield { cid, bytes: oneChunk(bytes) }
    }
  }

  async * deleteMany (source: Iterable<CID> | AsyncIterable<CID>, options?: AbortOptions): AsyncGenerator<CID> {
    for await (const cid of source) {
      options?.signal?.throwIfAborted()
      await this.delete(cid, options)
      yield cid
    }
  }

  async * get (cid: CID, options?: AbortOptions): AsyncGenerator<Uint8Array> {
    yield await this.getBytes(cid, options)
  }
}
