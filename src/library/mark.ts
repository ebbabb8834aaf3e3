import { identity } from 'multiformats/hashes/identity'
import type { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { toString } from 'uint8arrays/to-string'
import type { BaseBlockstore } from '../content/blockstore/base-blockstore.ts'
import { blockLinks } from '../hotpath/index.ts'

/** A block's identity for marking: its multihash, as text. */
export function markKey (multihash: Uint8Array): string {
  return toString(multihash, 'base64')
}

/** What marking one pin found. */
export interface MarkResult {
  /** Blocks of the DAG that are stored (and now marked). */
  blocks: number
  /** Their bytes; raw blocks count only when asked for (`countBytes`), since that reads them. */
  bytes: number
  /** Blocks the DAG links to that are not stored: the pin is incomplete while this is > 0. */
  missing: number
}

/** The marks of one collection: blocks kept, and blocks whose whole DAG below is kept. */
export interface Marks {
  kept: Set<string>
  walked: Set<string>
}

/** Empty marks. */
export function newMarks (): Marks {
  return { kept: new Set(), walked: new Set() }
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
 * `onKept` hears each block this walk adds to the kept set.
 */
export async function markPin (blockstore: BaseBlockstore, root: CID, recursive: boolean, marks: Marks, options: { countBytes?: boolean, onKept?: (key: string) => void } = {}): Promise<MarkResult> {
  const result: MarkResult = { blocks: 0, bytes: 0, missing: 0 }
  let queue: CID[] = [root]
  while (queue.length > 0) {
    const batch: CID[] = []
    const batchKeys = new Set<string>()
    while (queue.length > 0 && batch.length < LEVEL_BATCH) {
      const cid = queue.pop() as CID
      if (cid.multihash.code === identity.code) continue
      const key = markKey(cid.multihash.bytes)
      if (batchKeys.has(key) || (recursive ? marks.walked.has(key) : marks.kept.has(key))) continue
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
    const next: CID[] = []
    for (const { cid, bytes } of found) {
      const key = markKey(cid.multihash.bytes)
      if (!marks.kept.has(key)) {
        result.blocks++
        result.bytes += bytes?.length ?? 0
        options.onKept?.(key)
      }
      marks.kept.add(key)
      if (!recursive) continue
      marks.walked.add(key)
      if (bytes !== undefined) for (const link of blockLinks(cid, bytes)) next.push(link)
    }
    queue = queue.concat(next)
  }
  return result
}
