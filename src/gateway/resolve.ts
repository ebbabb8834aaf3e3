import type { CID } from 'multiformats/cid'
import { walkPath, type WalkedPath } from '../content/dag/walk-path.ts'
import { PathNotFoundError } from '../content/errors.ts'
import { isNotFound } from '../lib/not-found.ts'
import { isUnavailable, type BlockSource } from './block-source.ts'
import type { Block } from '../lib/block.ts'
import { BlockFetchTimeoutError, BlockNotStoredError, GatewayError } from './errors.ts'

/** Where a content path leads. */
export interface ResolvedPath {
  /** The block at the end of the path. */
  block: Block
  /** One CID per logical path segment, the root first (`X-Ipfs-Roots`). */
  roots: CID[]
  /** The blocks needed to verify the path, in order, excluding `block` (for CAR responses). */
  traversed: Block[]
}

/** Fetches a block; a missing one is a 404 (504 when it was looked for) naming the path that needed it. */
export async function fetchBlock (cid: CID, get: BlockSource, where: string): Promise<Block> {
  try {
    return { cid, bytes: await get(cid) }
  } catch (err) {
    if (isNotFound(err)) throw new BlockNotStoredError(`block ${cid} (${where}) is not stored on this node`)
    if (isUnavailable(err)) throw new BlockFetchTimeoutError(`block ${cid} (${where}) is not stored on this node, and ${err.message.replace(/^no source/, 'no source of content')}`, err.attempts ?? [])
    throw err
  }
}

/**
 * Resolves `segments` from `root` with the one path resolver (`content/dag/walk-path.ts`):
 * UnixFS names (HAMT shards included) and links in DAG-CBOR/DAG-JSON. Throws `GatewayError`
 * 404 for a missing name, `BlockNotStoredError` (404, or 412 under only-if-cached) for a
 * missing block, 501 when the path ends inside a node rather than at a link.
 */
export async function resolveContentPath (root: CID, segments: string[], get: BlockSource): Promise<ResolvedPath> {
  let walked: WalkedPath
  try {
    walked = await walkPath(root, segments, async cid => (await fetchBlock(cid, get, `needed for /ipfs/${[root, ...segments].join('/')}`)).bytes)
  } catch (err) {
    if (err instanceof PathNotFoundError) throw new GatewayError(404, err.message)
    throw err
  }
  const { block, roots, traversed, remainder } = walked
  if (remainder.length > 0) {
    throw new GatewayError(501, `the path ends inside the node ${block.cid} at "${remainder.join('/')}", which is not a link; only paths through links are served`)
  }
  return { block, roots, traversed }
}
