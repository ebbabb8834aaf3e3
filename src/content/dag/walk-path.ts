import * as dagCbor from '@ipld/dag-cbor'
import * as dagJson from '@ipld/dag-json'
import * as dagPb from '@ipld/dag-pb'
import { CID } from 'multiformats/cid'
import type { Block, BlockReader } from '../../lib/block.ts'
import { CODECS } from '../../lib/multicodec.ts'
import { entityKind, findEntry } from '../../unixfs/reader.ts'
import { PathNotFoundError } from '../errors.ts'

/** One step of a walked path, for breadcrumbs. */
export interface PathStep {
  /** The segment taken (empty for the root). */
  segment: string
  /** The block the step lands in. */
  cid: string
}

/** Where a path leads. */
export interface WalkedPath {
  /** The block the path ends in. */
  block: Block
  /** One CID per block reached through a link, the root first (`X-Ipfs-Roots`). */
  roots: CID[]
  /** The blocks needed to verify the path, in order, excluding `block` (HAMT shards included). */
  traversed: Block[]
  /** The segments walked inside `block`'s value, when the path ends inside a node. */
  remainder: string[]
  /** Every segment with the block it lands in. */
  steps: PathStep[]
}

/** How a walk reads paths. */
export interface WalkOptions {
  /**
   * Also walk into data-model fields of DAG-PB nodes (`Links/0/Hash`), after UnixFS names:
   * the explorer does, a gateway serves UnixFS paths only.
   */
  pbFields?: boolean
}

/** The data-model value of a block that has fields (dag-cbor, dag-json, dag-pb). */
function decode (block: Block): unknown {
  switch (block.cid.code) {
    case CODECS['dag-cbor']: return dagCbor.decode(block.bytes)
    case CODECS['dag-json']: return dagJson.decode(block.bytes)
    case CODECS['dag-pb']: return dagPb.decode(block.bytes)
    default: return undefined
  }
}

function field (value: unknown, key: string): unknown {
  if (Array.isArray(value)) return /^(0|[1-9]\d*)$/.test(key) ? value[Number(key)] : undefined
  if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array) && CID.asCID(value) === null) {
    return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined
  }
  return undefined
}

/**
 * The one path resolver: walks `segments` from `root` across blocks — through UnixFS
 * directories by name (HAMT shards included) and through links in DAG-CBOR, DAG-JSON (and,
 * with `pbFields`, DAG-PB) values — reading blocks with `read`. A path may end inside a node
 * (`remainder`). Throws `PathNotFoundError` naming the segment that is missing, and whatever
 * `read` throws for a block that is not available.
 */
export async function walkPath (root: CID, segments: string[], read: BlockReader, options: WalkOptions = {}): Promise<WalkedPath> {
  let block: Block = { cid: root, bytes: await read(root) }
  const roots = [root]
  const traversed: Block[] = []
  const steps: PathStep[] = [{ segment: '', cid: root.toString() }]
  let walked = `/ipfs/${root}`
  /** The value being walked inside the current block, once decoded, and the segments spent in it. */
  let value: unknown
  let remainder: string[] = []
  for (const segment of segments) {
    const here = walked
    walked += `/${segment}`
    let next: CID | undefined
    const kind = block.cid.code === CODECS['dag-pb'] && remainder.length === 0 ? entityKind(block) : undefined
    if (kind === 'directory' || kind === 'hamt') {
      const shards: Block[] = []
      next = await findEntry(block, segment, read, shard => shards.push(shard))
      if (next !== undefined) traversed.push(block, ...shards)
    }
    if (next === undefined) {
      const pbNode = block.cid.code === CODECS['dag-pb']
      if (block.cid.code === CODECS.raw || (pbNode && options.pbFields !== true)) {
        const what = pbNode ? (kind === 'directory' || kind === 'hamt' ? 'the directory' : `a UnixFS ${kind ?? 'node'}`) : 'a raw block'
        throw new PathNotFoundError(`no "${segment}" in ${what} at ${here}`)
      }
      value ??= decode(block)
      const found = field(value, segment)
      if (found === undefined) throw new PathNotFoundError(`no "${segment}" in ${block.cid} at ${here}`)
      const link = CID.asCID(found)
      if (link === null) {
        value = found
        remainder = [...remainder, segment]
        steps.push({ segment, cid: block.cid.toString() })
        continue
      }
      traversed.push(block)
      next = link
    }
    block = { cid: next, bytes: await read(next) }
    roots.push(next)
    steps.push({ segment, cid: next.toString() })
    value = undefined
    remainder = []
  }
  return { block, roots, traversed, remainder, steps }
}
