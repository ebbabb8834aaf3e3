import type { CID } from 'multiformats/cid'
import { code as DAG_CBOR } from '@ipld/dag-cbor'
import { codecName, type CodecName } from '../codecs.ts'
import { blockLinks, dagCborToDagJson, dagCborToDiagnostic, DagJsonEncodeError } from '../../hotpath/index.ts'
import { blockToDagJson } from './block-to-json.ts'
import { isLeaf, linksWithPaths, parseDagJson, type DagValue } from './dag-json-tree.ts'
import { walkPath, type PathStep } from './walk-path.ts'
import type { BlockReader } from '../../lib/block.ts'
import type { IpfsPath } from './ipfs-path.ts'

/** A path resolved to a value inside a block. */
export interface ResolvedNode {
  /** The block that holds the value. */
  cid: string
  codec: CodecName
  /** Size of that block in bytes. */
  size: number
  /** The path inside that block that leads to the value (may be empty). */
  remainder: string[]
  /** The value as canonical DAG-JSON text; absent when DAG-JSON cannot represent it. */
  json?: string
  /**
   * The block in CBOR diagnostic notation, set instead of `json` for DAG-CBOR data that
   * DAG-JSON cannot represent (maps in its reserved namespace).
   */
  diagnostic?: string
  /** Links in the value, with their paths relative to it. */
  links: Array<{ path: string, cid: string }>
  steps: PathStep[]
}

function child (value: DagValue, segment: string): DagValue | undefined {
  if (value === null || typeof value !== 'object' || isLeaf(value)) return undefined
  if (Array.isArray(value)) return /^(0|[1-9]\d*)$/.test(segment) ? value[Number(segment)] : undefined
  return Object.hasOwn(value, segment) ? value[segment] : undefined
}

/**
 * Resolves `path` for the explorer with the one path resolver (`walk-path.ts`: UnixFS names,
 * HAMT shards included, then links in any node, DAG-PB fields too) and returns the value it
 * ends at as exact DAG-JSON text, with its links. Throws `PathNotFoundError` naming the
 * missing segment, or `NotFoundError` when a block on the way is not available.
 */
export async function resolvePath (path: IpfsPath, read: BlockReader): Promise<ResolvedNode> {
  const { block, remainder, steps } = await walkPath(path.root, path.segments, read, { pbFields: true })
  const { cid, bytes } = block
  if (remainder.length === 0) {
    const unrepresentable = asDiagnostic(cid, bytes, steps)
    if (unrepresentable !== undefined) return unrepresentable
  }
  const text = blockToDagJson(cid, bytes)
  let value = parseDagJson(text)
  for (const segment of remainder) {
    // The walk found each of these segments in the block already; the tree keeps exact numbers.
    value = child(value, segment) as DagValue
  }
  return {
    cid: cid.toString(),
    codec: codecName(cid.code),
    size: bytes.length,
    remainder,
    json: remainder.length === 0 ? text : toJsonText(value),
    links: linksWithPaths(value),
    steps
  }
}

/**
 * A whole DAG-CBOR block that DAG-JSON cannot represent, shown in CBOR diagnostic notation
 * with the links the hot path reads from its bytes; undefined for every other block.
 */
function asDiagnostic (cid: CID, bytes: Uint8Array, steps: PathStep[]): ResolvedNode | undefined {
  if (cid.code !== DAG_CBOR) return undefined
  try {
    dagCborToDagJson(bytes)
    return undefined
  } catch (err) {
    if (!(err instanceof DagJsonEncodeError)) return undefined
  }
  return {
    cid: cid.toString(),
    codec: codecName(cid.code),
    size: bytes.length,
    remainder: [],
    diagnostic: dagCborToDiagnostic(bytes),
    // No data-model path reaches into such a block: each link opens on its own.
    links: blockLinks(cid, bytes).map(link => ({ path: '', cid: link.toString() })),
    steps
  }
}

/** Writes a tree back as DAG-JSON text (keys in DAG-JSON order, numbers exactly as read). */
function toJsonText (value: DagValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (isLeaf(value)) {
    if (value.kind === 'link') return `{"/":${JSON.stringify(value.cid)}}`
    if (value.kind === 'bytes') return `{"/":{"bytes":${JSON.stringify(value.base64)}}}`
    return value.text
  }
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`
  const keys = Object.keys(value).sort(byUtf8)
  return `{${keys.map(k => `${JSON.stringify(k)}:${toJsonText(value[k])}`).join(',')}}`
}

const utf8 = new TextEncoder()

/** DAG-JSON key order: bytewise on UTF-8. */
function byUtf8 (a: string, b: string): number {
  const x = utf8.encode(a)
  const y = utf8.encode(b)
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i]
  return x.length - y.length
}
