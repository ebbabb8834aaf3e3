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

/**
 * Every block of the DAG under `block` in depth-first order, links in the order each block
 * lists them. Without `dups` a block already given has had its whole sub-DAG given too, so it
 * and its links are skipped: a DAG that shares sub-DAGs (merges in a room history, a chain of
 * "diamonds") is walked once per distinct block, not once per path. With `dups` every path is
 * walked (see `checkDuplicateExpansion`, which bounds it first). An explicit stack, not
 * recursion: a chain of many thousand blocks costs no more per block than a short one.
 */
async function * wholeDag (root: Block, get: BlockSource, dups: boolean): AsyncGenerator<Block> {
  const given = new Set<string>([root.cid.toString()])
  // Links still to walk, each with the block that links it (named if it cannot be had).
  const pending: Array<{ cid: CID, parent: CID }> = []
  const push = (block: Block): void => {
    if (block.cid.code === raw.code) return
    const links = blockLinks(block.cid, block.bytes)
    for (let i = links.length - 1; i >= 0; i--) if (links[i].multihash.code !== identity.code) pending.push({ cid: links[i], parent: block.cid })
  }
  yield root
  push(root)
  while (pending.length > 0) {
    const { cid, parent } = pending.pop() as { cid: CID, parent: CID }
    if (!dups) {
      const key = cid.toString()
      if (given.has(key)) continue
      given.add(key)
    }
    const block = await fetchBlock(cid, get, `a link of ${parent}`)
    yield block
    push(block)
  }
}

/** A `dups=y` CAR may always have this many sections, however much its DAG shares. */
export const DUPLICATE_SECTIONS_FLOOR = 65_536
/** Above the floor, a `dups=y` CAR may have this many sections per distinct block of its DAG. */
export const DUPLICATE_SECTIONS_PER_BLOCK = 64

/**
 * Bounds a `dups=y` whole-DAG CAR before its first byte. Such a CAR repeats a shared sub-DAG
 * once per path to it, so its size can double with every merge (64 "diamonds" of 193 blocks
 * would be 2^64 sections). The sections it would have are counted over the distinct blocks,
 * each read once (a sub-DAG's count is remembered); a response of more than
 * `DUPLICATE_SECTIONS_FLOOR` sections and more than `DUPLICATE_SECTIONS_PER_BLOCK` per distinct
 * block is refused with a 400 that says so and points to `dups=n`. (boxo, Kubo's gateway
 * library, walks every path again with duplicates on and has no bound of its own.)
 */
export async function checkDuplicateExpansion (root: Block, get: BlockSource): Promise<void> {
  const counted = new Map<string, number>()
  interface Frame { block: Block, links: CID[], at: number, sections: number }
  const frame = (block: Block): Frame => ({
    block,
    links: block.cid.code === raw.code ? [] : blockLinks(block.cid, block.bytes).filter(link => link.multihash.code !== identity.code),
    at: 0,
    sections: 1
  })
  const stack: Frame[] = [frame(root)]
  let total = 0
  while (stack.length > 0) {
    const top = stack[stack.length - 1]
    if (top.at < top.links.length) {
      const link = top.links[top.at++]
      const known = counted.get(link.toString())
      if (known !== undefined) top.sections += known
      else stack.push(frame(await fetchBlock(link, get, `a link of ${top.block.cid}`)))
      continue
    }
    stack.pop()
    counted.set(top.block.cid.toString(), top.sections)
    if (stack.length > 0) stack[stack.length - 1].sections += top.sections
    else total = top.sections
  }
  const limit = Math.max(DUPLICATE_SECTIONS_FLOOR, DUPLICATE_SECTIONS_PER_BLOCK * counted.size)
  if (total > limit) {
    throw new GatewayError(400, `This DAG shares sub-DAGs: with duplicates (dups=y) its CAR would have ${total.toPrecision(3)} blocks for ${counted.size} distinct ones, more than this gateway sends (${DUPLICATE_SECTIONS_PER_BLOCK} per distinct block). Ask with dups=n: each block once.`)
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

/** The kind of a terminal block as a UnixFS entity, or `other` for anything not DAG-PB or raw. */
function kindOf (block: Block): ReturnType<typeof entityKind> | 'other' {
  return block.cid.code === dagPb.code || block.cid.code === raw.code ? entityKind(block) : 'other'
}

/**
 * True when the scope's blocks are the whole DAG under the terminal block: `dag-scope=all`, or
 * a whole file (its DAG, in the same order; walked as a DAG, each shared part comes once
 * instead of once per place it appears in the file).
 */
export function walksWholeDag (block: Block, options: CarOptions): boolean {
  return options.scope === 'all' || (options.scope === 'entity' && options.entityBytes === undefined && kindOf(block) === 'file')
}

/** The blocks of the terminal entity for a scope: one block, the entity, or the whole DAG. */
async function * scopeBlocks (block: Block, options: CarOptions, get: BlockSource): AsyncGenerator<Block> {
  if (options.scope === 'block') { yield block; return }
  if (walksWholeDag(block, options)) { yield * wholeDag(block, get, options.dups); return }
  const kind = kindOf(block)
  if (kind === 'file' && options.entityBytes !== undefined) {
    const size = fileSize(block)
    const range = entityRange(options.entityBytes, size)
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
