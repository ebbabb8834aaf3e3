import * as dagCbor from '@ipld/dag-cbor'
import * as dagJson from '@ipld/dag-json'
import * as dagPb from '@ipld/dag-pb'
import { CID } from 'multiformats/cid'
import { isNotFound, type Block, type BlockSource } from './block-source.ts'
import { BlockNotStoredError, GatewayError } from './errors.ts'
import { entityKind, findEntry } from './unixfs.ts'

/** Where a content path leads. */
export interface ResolvedPath {
  /** The block at the end of the path. */
  block: Block
  /** One CID per logical path segment, the root first (`X-Ipfs-Roots`). */
  roots: CID[]
  /** The blocks needed to verify the path, in order, excluding `block` (for CAR responses). */
  traversed: Block[]
}

/** Decodes a dag-cbor or dag-json block to its data-model value. */
function decodeIpld (block: Block): unknown {
  return block.cid.code === dagCbor.code ? dagCbor.decode(block.bytes) : dagJson.decode(block.bytes)
}

function lookup (value: unknown, key: string): unknown {
  if (Array.isArray(value)) return /^(0|[1-9]\d*)$/.test(key) ? value[Number(key)] : undefined
  if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array) && CID.asCID(value) === null) {
    return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined
  }
  return undefined
}

/** Fetches a block; a missing one is a 404 naming the path that needed it. */
export async function fetchBlock (cid: CID, get: BlockSource, where: string): Promise<Block> {
  try {
    return { cid, bytes: await get(cid) }
  } catch (err) {
    if (isNotFound(err)) throw new BlockNotStoredError(`block ${cid} (${where}) is not stored on this node`)
    throw err
  }
}

/**
 * Resolves `segments` from `root`: through UnixFS directories (HAMT shards included) by
 * name, and through DAG-CBOR/DAG-JSON fields that hold links. Throws `GatewayError` 404 for
 * a missing name or block, 501 when the path ends inside a node rather than at a link.
 */
export async function resolveContentPath (root: CID, segments: string[], get: BlockSource): Promise<ResolvedPath> {
  let block = await fetchBlock(root, get, `/ipfs/${root}`)
  const roots = [root]
  const traversed: Block[] = []
  let walked = `/ipfs/${root}`
  /** The value being walked inside a DAG-CBOR/DAG-JSON node, and the segments spent in it. */
  let value: unknown
  let inside: string[] = []
  for (const segment of segments) {
    const here = walked
    walked += '/' + segment
    let next: CID | undefined
    if (block.cid.code === dagPb.code) {
      const kind = entityKind(block)
      if (kind !== 'directory' && kind !== 'hamt') throw new GatewayError(404, `${here} is a ${kind}, so it has no "${segment}"`)
      const shards: Block[] = []
      next = await findEntry(block, segment, get, shard => shards.push(shard))
      traversed.push(block, ...shards)
      if (next === undefined) throw new GatewayError(404, `no "${segment}" in the directory ${here}`)
    } else if (block.cid.code === dagCbor.code || block.cid.code === dagJson.code) {
      value ??= decodeIpld(block)
      const found = lookup(value, segment)
      if (found === undefined) throw new GatewayError(404, `no field "${segment}" at ${here}`)
      const link = CID.asCID(found)
      if (link === null) {
        value = found
        inside.push(segment)
        continue
      }
      traversed.push(block)
      next = link
    } else {
      throw new GatewayError(404, `${here} is a ${block.cid.code === 0x55 ? 'raw block' : 'block'} with no path inside`)
    }
    block = await fetchBlock(next, get, walked)
    roots.push(next)
    value = undefined
    inside = []
  }
  if (inside.length > 0) {
    throw new GatewayError(501, `the path ends inside the node ${block.cid} at "${inside.join('/')}", which is not a link; only paths through links are served`)
  }
  return { block, roots, traversed }
}
