import * as dagPb from '@ipld/dag-pb'
import { murmur364 } from '@multiformats/murmur3'
import { UnixFS } from 'ipfs-unixfs'
import type { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import type { Block, BlockReader } from '../lib/block.ts'

/** A dag-pb block read as UnixFS. */
export interface UnixfsNode {
  pb: dagPb.PBNode
  unixfs: UnixFS
}

/** One directory entry as the directory block lists it. */
export interface DirectoryEntry {
  name: string
  cid: CID
  /** The DAG size from the link (`Tsize`), not the file size. */
  dagSize?: number
}

/** What a block is, as UnixFS sees it. */
export type EntityKind = 'file' | 'directory' | 'hamt' | 'symlink' | 'other'

/** Decodes a dag-pb block's UnixFS data. Throws when the block is not UnixFS. */
export function decodeUnixfs (bytes: Uint8Array): UnixfsNode {
  const pb = dagPb.decode(bytes)
  if (pb.Data === undefined) throw new Error('dag-pb node has no UnixFS data')
  return { pb, unixfs: UnixFS.unmarshal(pb.Data) }
}

/** The kind of entity a block is the root of. */
export function entityKind (block: Block): EntityKind {
  if (block.cid.code === raw.code) return 'file'
  if (block.cid.code !== dagPb.code) return 'other'
  const { unixfs } = decodeUnixfs(block.bytes)
  switch (unixfs.type) {
    case 'file': case 'raw': return 'file'
    case 'directory': return 'directory'
    case 'hamt-sharded-directory': return 'hamt'
    case 'symlink': return 'symlink'
    default: return 'other'
  }
}

/** The byte length of a file entity (raw block or UnixFS file). */
export function fileSize (block: Block): number {
  if (block.cid.code === raw.code) return block.bytes.length
  return Number(decodeUnixfs(block.bytes).unixfs.fileSize())
}

/** A visited block of a file walk, with the part of the file's bytes it holds in range. */
export interface FileStep extends Block {
  data?: Uint8Array
}

/** Children of a file node read ahead of the one being streamed. */
export const FILE_READ_AHEAD = 16

/**
 * Walks a file's DAG depth-first, visiting only the blocks that hold bytes in
 * `[start, end)` (plus the inner nodes above them). Raw leaves and UnixFS nodes both count;
 * a node's own data comes before its children's, as UnixFS lays them out.
 */
export async function * walkFile (block: Block, get: BlockReader, start: number, end: number): AsyncGenerator<FileStep> {
  if (block.cid.code === raw.code) {
    const from = Math.max(0, start)
    yield { ...block, data: block.bytes.subarray(from, Math.max(from, end)) }
    return
  }
  const { pb, unixfs } = decodeUnixfs(block.bytes)
  const own = unixfs.data ?? new Uint8Array(0)
  yield { ...block, ...(start < own.length && end > 0 ? { data: own.subarray(Math.max(0, start), Math.min(own.length, end)) } : {}) }
  let at = own.length
  const wanted: Array<{ cid: CID, from: number }> = []
  for (const [i, link] of pb.Links.entries()) {
    const size = Number(unixfs.blockSizes[i] ?? 0n)
    const from = at
    at += size
    if (at > start && from < end) wanted.push({ cid: link.Hash, from })
  }
  // Read ahead: the next children are asked for while this one is being consumed, so a
  // file that has to be fetched streams at the sources' pace, not one round trip per block.
  const ahead: Array<Promise<Uint8Array>> = []
  let asked = 0
  for (const { cid, from } of wanted) {
    while (asked < wanted.length && ahead.length < FILE_READ_AHEAD) {
      const reading = get(wanted[asked++].cid)
      reading.catch(() => {})
      ahead.push(reading)
    }
    const child = { cid, bytes: await (ahead.shift() as Promise<Uint8Array>) }
    yield * walkFile(child, get, start - from, end - from)
  }
}

/** The digits of a HAMT bucket label for a fanout. */
function labelLength (fanout: bigint | undefined): number {
  return (Number(fanout ?? 256n) - 1).toString(16).length
}

/**
 * Lists a directory's entries, following HAMT shards (whose blocks are passed to `visit`, for
 * callers that need every block of the entity).
 */
export async function * directoryEntries (block: Block, get: BlockReader, visit?: (shard: Block) => void): AsyncGenerator<DirectoryEntry> {
  const { pb, unixfs } = decodeUnixfs(block.bytes)
  if (unixfs.type !== 'hamt-sharded-directory') {
    for (const link of pb.Links) yield { name: link.Name ?? '', cid: link.Hash, dagSize: link.Tsize }
    return
  }
  const pad = labelLength(unixfs.fanout)
  for (const link of pb.Links) {
    const name = link.Name ?? ''
    if (name.length > pad) {
      yield { name: name.slice(pad), cid: link.Hash, dagSize: link.Tsize }
      continue
    }
    const shard = { cid: link.Hash, bytes: await get(link.Hash) }
    visit?.(shard)
    yield * directoryEntries(shard, get, visit)
  }
}

/** Bits `[from, from + count)` of `bytes`, most significant first. */
function bitsAt (bytes: Uint8Array, from: number, count: number): number {
  let value = 0
  for (let i = from; i < from + count; i++) {
    value = (value << 1) | ((bytes[i >> 3] >> (7 - (i & 7))) & 1)
  }
  return value
}

/**
 * Finds `name` in a directory. Plain directories are searched by link name; HAMT shards are
 * descended by the name's murmur3 hash, visiting one shard per level. Every block visited
 * on the way (the directory itself excluded) is passed to `visit`.
 */
export async function findEntry (block: Block, name: string, get: BlockReader, visit?: (b: Block) => void): Promise<CID | undefined> {
  const { pb, unixfs } = decodeUnixfs(block.bytes)
  if (unixfs.type !== 'hamt-sharded-directory') {
    return pb.Links.find(link => link.Name === name)?.Hash
  }
  const hash = (await murmur364.digest(new TextEncoder().encode(name))).digest
  let node = { pb, unixfs }
  for (let level = 0; ; level++) {
    const bits = Math.log2(Number(node.unixfs.fanout ?? 256n))
    const pad = labelLength(node.unixfs.fanout)
    if ((level + 1) * bits > hash.length * 8) return undefined
    const label = bitsAt(hash, level * bits, bits).toString(16).toUpperCase().padStart(pad, '0')
    const link = node.pb.Links.find(l => l.Name?.startsWith(label) === true)
    if (link === undefined) return undefined
    if (link.Name === label + name) return link.Hash
    if (link.Name !== label) return undefined
    const shard = { cid: link.Hash, bytes: await get(link.Hash) }
    visit?.(shard)
    node = decodeUnixfs(shard.bytes)
  }
}
