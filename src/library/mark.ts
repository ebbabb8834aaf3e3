import { identity } from 'multiformats/hashes/identity'
import type { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { toString } from 'uint8arrays/to-string'
import type { BaseBlockstore } from '../content/blockstore/base-blockstore.ts'
import { blockLinks } from '../hotpath/index.ts'
import { LinkStack } from './link-stack.ts'
import { MultihashTable } from './multihash-table.ts'

/** What marking one pin found. */
export interface MarkResult {
  /** Blocks of the DAG that are stored (and now marked). */
  blocks: number
  /** Their bytes; raw blocks count only when asked for (`countBytes`), since that reads them. */
  bytes: number
  /** Blocks the DAG links to that are not stored: the pin is incomplete while this is > 0. */
  missing: number
}

const KEPT = 1
const WALKED = 2

/**
 * The marks of one collection: blocks kept, and blocks whose whole DAG below is kept. Held
 * in a {@link MultihashTable} (exact, compact), so a million marked blocks fit in tens of
 * megabytes. A marked block is known by its entry number in the table.
 */
export class Marks {
  private readonly table = new MultihashTable()

  /** How many blocks are kept. */
  keptCount = 0

  /** Whether the block with this multihash is kept. */
  isKept (multihash: Uint8Array): boolean {
    const entry = this.table.find(multihash)
    return entry >= 0 && (this.table.flags(entry) & KEPT) !== 0
  }

  /** Whether the DAG under this block has been walked. */
  isWalked (multihash: Uint8Array): boolean {
    const entry = this.table.find(multihash)
    return entry >= 0 && (this.table.flags(entry) & WALKED) !== 0
  }

  /** Keeps a block; returns its entry and whether it was not kept before. */
  keep (multihash: Uint8Array): { entry: number, added: boolean } {
    const entry = this.table.insert(multihash)
    const added = this.table.setFlag(entry, KEPT)
    if (added) this.keptCount++
    return { entry, added }
  }

  /** Records that the DAG under a kept block has been walked. */
  walked (entry: number): void {
    this.table.setFlag(entry, WALKED)
  }

  /** The multihash of an entry (a copy). */
  multihash (entry: number): Uint8Array {
    return this.table.multihash(entry)
  }

  /** Every kept block's entry. */
  kept (): Iterable<number> {
    return this.table.withFlag(KEPT)
  }

  /** Bytes the marks take. */
  get byteLength (): number {
    return this.table.byteLength
  }
}

/** CIDs asked of the store at once while walking. */
const LEVEL_BATCH = 512

/**
 * Marks what a pin keeps: the root for a direct pin, every stored block reachable from it for
 * a recursive one. Links are read by the WASM module (`blockLinks`), never by decoding blocks
 * into objects; the walk asks the store for up to 512 blocks at a time, and only checks that
 * raw blocks (which link nowhere) are there unless `countBytes`. A block another recursive pin
 * already walked is not walked again (DAGs that share blocks are walked once; a block a direct
 * pin kept is still walked). Local blocks only: a missing block is counted, the walk goes on.
 * `onKept` hears the entry of each block this walk adds to the kept set.
 */
export async function markPin (blockstore: BaseBlockstore, root: CID, recursive: boolean, marks: Marks, options: { countBytes?: boolean, onKept?: (entry: number) => void } = {}): Promise<MarkResult> {
  const result: MarkResult = { blocks: 0, bytes: 0, missing: 0 }
  const pending = new LinkStack()
  pending.push(root)
  while (pending.length > 0) {
    const batch: CID[] = []
    const batchKeys = new Set<string>()
    while (pending.length > 0 && batch.length < LEVEL_BATCH) {
      const cid = pending.pop() as CID
      if (cid.multihash.code === identity.code) continue
      const multihash = cid.multihash.bytes
      const key = toString(multihash, 'base64')
      if (batchKeys.has(key) || (recursive ? marks.isWalked(multihash) : marks.isKept(multihash))) continue
      batchKeys.add(key)
      batch.push(cid)
    }
    const presenceOnly = options.countBytes !== true && recursive
    const leaves = presenceOnly ? batch.filter(c => c.code === raw.code) : []
    const nodes = presenceOnly ? batch.filter(c => c.code !== raw.code) : batch
    const [present, blocks] = await Promise.all([blockstore.hasMany(leaves), blockstore.readMany(nodes)])
    const found: Array<{ cid: CID, bytes?: Uint8Array }> = []
    leaves.forEach((cid, i) => { if (present[i]) found.push({ cid }); else result.missing++ })
    nodes.forEach((cid, i) => {
      const bytes = blocks[i]
      if (bytes === undefined) result.missing++
      else found.push({ cid, bytes })
    })
    for (const { cid, bytes } of found) {
      const { entry, added } = marks.keep(cid.multihash.bytes)
      if (added) {
        result.blocks++
        result.bytes += bytes?.length ?? 0
        options.onKept?.(entry)
      }
      if (!recursive) continue
      marks.walked(entry)
      if (bytes !== undefined) for (const link of blockLinks(cid, bytes)) pending.push(link)
    }
  }
  return result
}
