import { CID } from 'multiformats/cid'
import type { BaseBlockstore, BlockstoreStat } from './blockstore/base-blockstore.ts'
import type { BlockGetOptions, Blocks } from './blocks.ts'
import { codecName } from './codecs.ts'
import { inspectCid, type CidInfo } from './cid-inspect.ts'
import { InvalidPathError } from './errors.ts'
import { parseIpfsPath } from './dag/ipfs-path.ts'
import { putNode, type PutNodeInput } from './dag/put-node.ts'
import { resolvePath, type ResolvedNode } from './dag/resolve-path.ts'

/** What the content service is built from. */
export interface ContentServiceComponents {
  /** Every block the node reads or writes goes through here. */
  blocks: Blocks
  /** For the repository's totals. */
  blockstore: BaseBlockstore
  /** Storage quota and usage, where the runtime can tell (`navigator.storage.estimate`). */
  estimateStorage?: () => Promise<{ quota?: number, usage?: number }>
}

/** Repository totals for `repo.stat`. */
export interface RepoStat extends BlockstoreStat {
  quota?: number
  usage?: number
}

/** A block's size and codec, for `block.stat`. */
export interface BlockStat {
  cid: string
  size: number
  codec: string
}

/** The node's DAG and block operations that the explorer reaches over RPC. */
export interface ContentService {
  dagPut(input: PutNodeInput): Promise<{ cid: string, size: number }>
  /** Resolves a path; blocks that are not stored are fetched (as part of `options.session`). */
  dagGet(path: string, options?: BlockGetOptions): Promise<ResolvedNode>
  blockGet(cid: string): Promise<Uint8Array>
  blockStat(cid: string): Promise<BlockStat>
  cidInspect(cid: string): CidInfo
  repoStat(): Promise<RepoStat>
}

function parseCid (text: string): CID {
  try {
    return CID.parse(text.trim())
  } catch (err) {
    throw new InvalidPathError(`"${text}" is not a valid CID: ${(err as Error).message}`)
  }
}

/** The content service over the node's blocks. */
export function createContentService ({ blocks, blockstore, estimateStorage }: ContentServiceComponents): ContentService {
  const read = async (cid: CID, options?: BlockGetOptions): Promise<Uint8Array> => blocks.get(cid, options)
  return {
    async dagPut (input) {
      const { cid, size } = await putNode(blocks, input)
      return { cid: cid.toString(), size }
    },
    async dagGet (path, options) {
      return resolvePath(parseIpfsPath(path), async cid => read(cid, options))
    },
    async blockGet (cid) {
      return read(parseCid(cid))
    },
    async blockStat (text) {
      const cid = parseCid(text)
      const bytes = await read(cid)
      return { cid: cid.toString(), size: bytes.length, codec: codecName(cid.code) }
    },
    cidInspect: inspectCid,
    async repoStat () {
      const [totals, storage] = await Promise.all([blockstore.stat(), estimateStorage?.() ?? {}])
      return { ...totals, ...storage }
    }
  }
}
