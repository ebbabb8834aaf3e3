import * as dagCbor from '@ipld/dag-cbor'
import * as dagPb from '@ipld/dag-pb'
import type { CID } from 'multiformats/cid'
import { identity } from 'multiformats/hashes/identity'
import * as raw from 'multiformats/codecs/raw'
import { blockLinks } from '../hotpath/index.ts'
import type { BlockSource } from './block-source.ts'
import type { Block } from '../lib/block.ts'
import type { CarOptions } from './request.ts'
import { fetchBlock, type ResolvedPath } from './resolve.ts'
import { directoryEntries, entityKind, fileSize, walkFile } from '../unixfs/reader.ts'
import { GatewayError } from './errors.ts'

function varint (value: number): Uint8Array {
  const out: number[] = []
  while (value >= 0x80) {
    out.push((value % 0x80) | 0x80)
    value = Math.floor(value / 0x80)
  }
  out.push(value)
  return Uint8Array.from(out)
}

/** The CARv1 header for `roots`, length prefix included. */
export function carHeaderBytes (roots: CID[]): Uint8Array {
  const header = dagCbor.encode({ roots, version: 1 })
  const out = new Uint8Array(varint(header.length).length + header.length)
  out.set(varint(header.length))
  out.set(header, out.length - header.length)
  return out
}

/** One CAR section for a block, length prefix included. */
export function carSectionBytes ({ cid, bytes }: Block): Uint8Array {
  const prefix = varint(cid.bytes.length + bytes.length)
  const out = new Uint8Array(prefix.length + cid.bytes.length + bytes.length)
  out.set(prefix)
  out.set(cid.bytes, prefix.length)
  out.set(bytes, prefix.length + cid.bytes.length)
  return out
}

/** Every block of the DAG under `block`, depth first, links in the order the block lists them. */
async function * wholeDag (block: Block, get: BlockSource): AsyncGenerator<Block> {
  yield block
  if (block.cid.code === raw.code) return
  for (const link of blockLinks(block.cid, block.bytes)) {
    if (link.multihash.code === identity.code) continue
    yield * wholeDag(await fetchBlock(link, get, `a link of ${block.cid}`), get)
  }
}

/** Resolves `entity-bytes` against a file size; undefined when the range is empty. */
function entityRange (bytes: { from: number, to?: number }, size: number): { start: number, end: number } | undefined {
  const from = bytes.from < 0 ? Math.max(0, size + bytes.from) : bytes.from
  const last = bytes.to === undefined ? size - 1 : bytes.to < 0 ? size + bytes.to : Math.min(bytes.to, size - 1)
  if (from >= size && bytes.from >= 0) throw new GatewayError(400, `entity-bytes starts at ${bytes.from}, past the end of the ${size}-byte file`)
  return last < from ? undefined : { start: from, end: last + 1 }
}

/**
 * Rejects, before any byte is sent, an `entity-bytes` range that starts past the end of the
 * file it addresses (a 400, as the trustless gateway spec recommends).
 */
export function checkEntityBytes (block: Block, options: CarOptions): void {
  if (options.entityBytes === undefined) return
  if (block.cid.code !== raw.code && block.cid.code !== dagPb.code) return
  if (entityKind(block) === 'file') entityRange(options.entityBytes, fileSize(block))
}

/** The blocks of the terminal entity for a scope: one block, the entity, or the whole DAG. */
async function * scopeBlocks (block: Block, options: CarOptions, get: BlockSource): AsyncGenerator<Block> {
  if (options.scope === 'block') { yield block; return }
  if (options.scope === 'all') { yield * wholeDag(block, get); return }
  const kind = block.cid.code === dagPb.code || block.cid.code === raw.code ? entityKind(block) : 'other'
  if (kind === 'file') {
    const size = fileSize(block)
    const range = options.entityBytes === undefined ? { start: 0, end: size } : entityRange(options.entityBytes, size)
    if (range === undefined) { yield block; return }
    for await (const step of walkFile(block, get, range.start, range.end)) yield step
    return
  }
  yield block
  if (kind === 'hamt') {
    const shards: Block[] = []
    for await (const entry of directoryEntries(block, get, shard => shards.push(shard))) void entry
    yield * shards
  }
}

/**
 * The blocks of a CAR response in DFS order: those that verify the path, then those of the
 * requested scope. With `dups: false` each block appears once. Identity CIDs never appear.
 * The first block is ready before the response starts (a missing root is a 404); a missing
 * child later ends the stream with an error.
 */
export async function * carBlocks (resolved: ResolvedPath, options: CarOptions, get: BlockSource): AsyncGenerator<Block> {
  const seen = new Set<string>()
  const all = async function * (): AsyncGenerator<Block> {
    yield * resolved.traversed
    yield * scopeBlocks(resolved.block, options, get)
  }
  for await (const block of all()) {
    if (block.cid.multihash.code === identity.code) continue
    if (!options.dups) {
      const key = block.cid.toString()
      if (seen.has(key)) continue
      seen.add(key)
    }
    yield block
  }
}

/** A CARv1 byte stream: the header with `root`, then a section per block. */
export async function * carBytes (root: CID, blocks: AsyncIterable<Block>): AsyncGenerator<Uint8Array> {
  yield carHeaderBytes([root])
  for await (const block of blocks) yield carSectionBytes(block)
}
