import { FsBlockstore } from 'blockstore-fs'
import { NotFoundError } from 'interface-store'
import { identity } from 'multiformats/hashes/identity'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import * as Digest from 'multiformats/hashes/digest'
import { verifyBlock } from '../../content/hashing.ts'
import { blockLinks } from '../../hotpath/index.ts'
import { collectBytes } from '../../content/blockstore/base-blockstore.ts'

function keyOf (cid: CID): string {
  return Buffer.from(cid.multihash.bytes).toString('base64')
}

/**
 * The blocks the home node keeps for its pins: a `blockstore-fs` folder that survives
 * restarts (named by multihash), with an index of what is there and how big in memory, so
 * `has` — asked for every want of every peer — never touches the disk. Every block is checked
 * against its CID before it is written.
 */
export class KeptBlocks {
  private readonly store: FsBlockstore
  private readonly sizes = new Map<string, number>()
  private total = 0

  constructor (dir: string) {
    this.store = new FsBlockstore(dir)
  }

  /** Opens the folder and indexes what an earlier run kept. */
  async open (): Promise<void> {
    await this.store.open()
    for await (const { cid, bytes } of this.store.getAll()) this.index(cid, (await collectBytes(bytes)).length)
  }

  async close (): Promise<void> {
    await this.store.close()
  }

  private index (cid: CID, size: number): void {
    const key = keyOf(cid)
    this.total += size - (this.sizes.get(key) ?? 0)
    this.sizes.set(key, size)
  }

  /** Blocks and bytes kept. */
  stat (): { blocks: number, bytes: number } {
    return { blocks: this.sizes.size, bytes: this.total }
  }

  async has (cid: CID): Promise<boolean> {
    return cid.multihash.code === identity.code || this.sizes.has(keyOf(cid))
  }

  /** A kept block's bytes; `NotFoundError` when it is not kept. */
  async getBytes (cid: CID): Promise<Uint8Array> {
    if (cid.multihash.code === identity.code) return cid.multihash.digest
    if (!this.sizes.has(keyOf(cid))) throw new NotFoundError(`block ${cid} is not kept here`)
    return collectBytes(this.store.get(cid))
  }

  /** Verifies and writes a block. */
  async put (cid: CID, bytes: Uint8Array): Promise<void> {
    if (cid.multihash.code === identity.code) return
    await verifyBlock(cid, bytes)
    await this.store.put(cid, bytes)
    this.index(cid, bytes.length)
  }

  /**
   * Garbage collection: keeps every block reachable from `roots` through kept blocks and
   * deletes the rest. Returns what was freed.
   */
  async collect (roots: CID[]): Promise<{ blocks: number, bytes: number }> {
    const marked = new Set<string>()
    const stack = [...roots]
    while (stack.length > 0) {
      const cid = stack.pop() as CID
      const key = keyOf(cid)
      if (marked.has(key) || !this.sizes.has(key)) continue
      marked.add(key)
      for (const link of blockLinks(cid, await this.getBytes(cid))) stack.push(link)
    }
    const freed = { blocks: 0, bytes: 0 }
    for (const [key, size] of [...this.sizes]) {
      if (marked.has(key)) continue
      // The folder names blocks by multihash: any CID of it finds the file.
      await this.store.delete(CID.createV1(raw.code, Digest.decode(Buffer.from(key, 'base64'))))
      freed.blocks++
      freed.bytes += size
      this.total -= size
      this.sizes.delete(key)
    }
    return freed
  }
}
