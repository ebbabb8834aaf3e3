import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CID } from 'multiformats/cid'
import * as dagPb from '@ipld/dag-pb'
import type { Blockstore } from 'interface-blockstore'
import { UnixFS } from 'ipfs-unixfs'
import { describe, expect, it } from 'vitest'
import type { Added, JournaledBlockstore } from '../../../src/content/blockstore/journaled-blockstore.ts'
import { MemoryBlockstore } from '../../../src/content/blockstore/memory-blockstore.ts'
import { memoryStoreLock } from '../../../src/content/blockstore/store-lock.ts'
import { MemoryImportLog } from '../../../src/content/imports/import-log.ts'
import type { UnixfsProfile } from '../../../src/hotpath/index.ts'
import { addFiles, FileReadError, type AddSummary } from '../../../src/add/add-files.ts'
import type { AddEntry } from '../../../src/add/add-tree.ts'
import { fixturesDir } from '../../support/fixtures.ts'
import { bytesSource, chachaSource, referenceRoot, vanishingSource } from '../../support/unixfs-inputs.ts'
import { picker as random } from '../../fuzz/rng.ts'

interface Vector {
  profile: string
  input: { literal_utf8?: string, generator?: string, seed?: string | number, size?: number, zeros?: number }
  description: string
  expected_cid: string
}

const vectors = (JSON.parse(readFileSync(join(fixturesDir, 'unixfs', 'unixfs-vectors.json'), 'utf8')) as { vectors: Vector[] }).vectors

/**
 * Keeps only the DAG-PB nodes written (not the leaves), for inputs of gigabytes; also usable as
 * the reference importer's blockstore.
 */
class KeepingNodes implements JournaledBlockstore {
  readonly nodes = new Map<string, Uint8Array>()
  async has (): Promise<boolean> { return false }
  async put (cid: CID, bytes: Uint8Array): Promise<CID> {
    if (cid.code === 0x70) this.nodes.set(cid.toString(), bytes)
    return cid
  }

  async putVerifiedForImport (batch: ReadonlyArray<{ cid: CID, bytes: Uint8Array }>): Promise<Added> {
    for (const { cid, bytes } of batch) await this.put(cid, bytes)
    return { blocks: batch.length, bytes: 0 }
  }

  async rollBackImport (): Promise<number> { return 0 }
  async commitImport (): Promise<void> {}
}

/** Counts what is written and keeps nothing: for inputs of a gigabyte. */
class CountingBlockstore implements JournaledBlockstore {
  blocks = 0
  async has (): Promise<boolean> { return false }
  async putVerifiedForImport (batch: ReadonlyArray<{ cid: CID, bytes: Uint8Array }>): Promise<Added> {
    this.blocks += batch.length
    return { blocks: batch.length, bytes: batch.reduce((n, b) => n + b.bytes.length, 0) }
  }

  async rollBackImport (): Promise<number> { return 0 }
  async commitImport (): Promise<void> {}
}

async function add (entries: AddEntry[], profile: UnixfsProfile, options: { wrap?: boolean, blockstore?: JournaledBlockstore, signal?: AbortSignal } = {}): Promise<AddSummary> {
  return addFiles(entries, { blockstore: options.blockstore ?? new MemoryBlockstore(), imports: new MemoryImportLog(), lock: memoryStoreLock(), name: 'test', profile, wrap: options.wrap, signal: options.signal })
}


describe('UnixFS import: the published vectors (Kubo, IPIP-499)', () => {
  for (const vector of vectors) {
    const profile = vector.profile as UnixfsProfile
    if (profile !== 'unixfs-v0-2015' && profile !== 'unixfs-v1-2025') continue
    const { input } = vector
    it(`${profile}: ${vector.description}`, async () => {
      const file = input.literal_utf8 !== undefined
        ? bytesSource(new TextEncoder().encode(input.literal_utf8))
        : input.zeros !== undefined
          ? bytesSource(new Uint8Array(input.zeros), 1024 * 1024)
          : input.generator === 'chacha'
            ? chachaSource(String(input.seed), input.size as number)
            : bytesSource(new Uint8Array(input.size ?? 0))
      const summary = await add([{ path: 'file', file }], profile, { blockstore: new CountingBlockstore() })
      expect(summary.root).toBe(vector.expected_cid)
    }, 120_000)
  }

  it('the vectors that need Go\'s random-data generator are the only ones left out', () => {
    const skipped = vectors.filter(v => v.profile !== 'unixfs-v0-2015' && v.profile !== 'unixfs-v1-2025')
    expect(skipped.every(v => v.input.generator === 'random-data(go)' || v.profile.includes('raw-leaves'))).toBe(true)
  })

  it('3 MiB inputs computed from the spec match both profiles', async () => {
    const pattern = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 256)
    expect((await add([{ path: 'f', file: bytesSource(new Uint8Array(3 * 1024 * 1024)) }], 'unixfs-v0-2015')).root).toBe('QmekBGp284QtNZoJg812EYkv3w55dNGt5Jxwjbg6g2ZRin')
    expect((await add([{ path: 'f', file: bytesSource(pattern) }], 'unixfs-v1-2025')).root).toBe('bafybeignibaewothtuttuzcxzretnwuon55js6prplz6uzn2sgzvcscka4')
    expect((await add([{ path: 'f', file: chachaSource('chunk-v1-seed', 3 * 1024 * 1024) }], 'unixfs-v0-2015')).root).toBe('QmZKxmqBx71yG2fdXY8aH6vucUnY11iWd2s1UE5u5EG2d6')
  })
})

describe('UnixFS import: the same CIDs as ipfs-unixfs-importer', () => {
  const names = ['a', 'B', 'read me.txt', 'ünïcödé', '日本語', 'emoji-😀', 'tab\there', 'z'.repeat(200), '-', '0', '_x']

  /** A seeded tree: files of 0 to 3 MiB, nested folders, empty folders, odd names. */
  function randomTree (seed: number): AddEntry[] {
    const pick = random(seed)
    const entries: AddEntry[] = []
    const used = new Set<string>()
    const count = 1 + pick(8)
    for (let i = 0; i < count; i++) {
      const depth = pick(3)
      const parts = Array.from({ length: depth }, () => names[pick(names.length)])
      parts.push(`${names[pick(names.length)]}-${i}`)
      const path = parts.join('/')
      if ([...used].some(u => u.startsWith(`${path}/`) || path.startsWith(`${u}/`))) continue
      used.add(path)
      if (pick(10) === 0) {
        entries.push({ path })
        continue
      }
      const sizes = [0, 1, 100, 262144, 262145, 1048576, 1048577, 3 * 1024 * 1024 - 7]
      const size = pick(4) === 0 ? sizes[pick(sizes.length)] : pick(300_000)
      const bytes = new Uint8Array(size).map((_, j) => (j * 31 + seed) & 255)
      entries.push({ path, file: bytesSource(bytes, 1 + pick(200_000)) })
    }
    return entries
  }

  for (const profile of ['unixfs-v0-2015', 'unixfs-v1-2025'] as const) {
    it(`${profile}: 100 seeded random files and trees, wrapped`, async () => {
      for (let seed = 1; seed <= 100; seed++) {
        const entries = randomTree(seed * 7919)
        const ours = await add(entries, profile, { wrap: true })
        expect(ours.root, `seed ${seed}`).toBe(await referenceRoot(entries, profile, true))
      }
    }, 300_000)

    it(`${profile}: one file or one folder, not wrapped`, async () => {
      const file: AddEntry[] = [{ path: 'one.bin', file: bytesSource(new Uint8Array(2_000_000).fill(3)) }]
      expect((await add(file, profile)).root).toBe(await referenceRoot(file, profile, false))
      const folder: AddEntry[] = [{ path: 'top/a.txt', file: bytesSource(new TextEncoder().encode('a')) }, { path: 'top/sub/b.txt', file: bytesSource(new Uint8Array(0)) }, { path: 'top/empty' }]
      expect((await add(folder, profile)).root).toBe(await referenceRoot(folder, profile, false))
    }, 60_000)
  }
})

describe('UnixFS import: HAMT directories at the profile thresholds', () => {
  /** `count` one-byte files whose names are `length` characters (the last `lastLength`). */
  function folder (count: number, length: number, lastLength = length): AddEntry[] {
    return Array.from({ length: count }, (_, i) => {
      const name = String(i).padStart(i === count - 1 ? lastLength : length, 'n')
      return { path: `dir/${name}`, file: bytesSource(new Uint8Array([i & 255])) }
    })
  }

  async function isShard (summary: AddSummary, blockstore: MemoryBlockstore): Promise<boolean> {
    const node = dagPb.decode(await blockstore.getBytes(CID.parse(summary.root)))
    return UnixFS.unmarshal(node.Data as Uint8Array).type === 'hamt-sharded-directory'
  }

  // v1-2025 judges the whole block: 4 bytes of Data + 60 bytes per link of a 16-byte name to
  // a one-byte raw leaf; 4369 links make exactly 262 144 bytes. v0-2015 counts name and CID
  // bytes: 30 + 34 = 64 per link, 4096 links make exactly 262 144.
  const cases = [
    { profile: 'unixfs-v1-2025' as const, count: 4369, length: 16 },
    { profile: 'unixfs-v0-2015' as const, count: 4096, length: 30 }
  ]
  for (const { profile, count, length } of cases) {
    it(`${profile}: exactly at the threshold stays flat, one byte above becomes a HAMT, as the reference does`, async () => {
      const at = folder(count, length)
      const atStore = new MemoryBlockstore()
      const flat = await add(at, profile, { blockstore: atStore })
      expect(await isShard(flat, atStore)).toBe(false)
      expect(flat.root).toBe(await referenceRoot(at, profile, false))

      const above = folder(count, length, length + 1)
      const aboveStore = new MemoryBlockstore()
      const sharded = await add(above, profile, { blockstore: aboveStore })
      expect(await isShard(sharded, aboveStore)).toBe(true)
      expect(sharded.root).toBe(await referenceRoot(above, profile, false))
    }, 120_000)
  }

  it('a HAMT with sub-shards, and a folder inside it, matches the reference', async () => {
    const entries: AddEntry[] = folder(9000, 20)
    entries.push({ path: 'dir/inner/file', file: bytesSource(new TextEncoder().encode('deep')) }, { path: 'dir/empty-inner' })
    for (const profile of ['unixfs-v0-2015', 'unixfs-v1-2025'] as const) {
      expect((await add(entries, profile)).root).toBe(await referenceRoot(entries, profile, false))
    }
  }, 120_000)
})

describe('UnixFS import: bad input', () => {
  const one = (path: string): AddEntry[] => [{ path, file: bytesSource(new Uint8Array([1])) }]

  it('refuses names UnixFS cannot hold, before storing anything', async () => {
    const store = new MemoryBlockstore()
    for (const [path, message] of [
      ['a//b', /empty/], ['/a', /empty/], ['a/', /empty/], ['.', /cannot be a name/], ['a/../b', /cannot be a name/],
      ['nul\0name', /NUL/], ['bad\ud800half', /lone surrogate/]
    ] as const) {
      await expect(add(one(path), 'unixfs-v1-2025', { blockstore: store }), path).rejects.toMatchObject({ name: 'UnixfsInputError', message })
    }
    expect((await store.stat()).blocks).toBe(0)
  })

  it('keeps control characters, as Kubo does', async () => {
    const entries = one('bell\u0007and\u001fescape')
    expect((await add(entries, 'unixfs-v1-2025', { wrap: true })).root).toBe(await referenceRoot(entries, 'unixfs-v1-2025', true))
  })

  it('refuses a path given twice and a path that is a file and a folder', async () => {
    await expect(add([...one('x/y'), ...one('x/y')], 'unixfs-v1-2025')).rejects.toThrow('"x/y" is given twice')
    await expect(add([...one('x'), ...one('x/y')], 'unixfs-v1-2025', { wrap: true })).rejects.toThrow('"x" is both a file and a folder')
    await expect(add([...one('a'), ...one('b')], 'unixfs-v1-2025', { wrap: false })).rejects.toThrow('add them wrapped')
    await expect(add([], 'unixfs-v1-2025')).rejects.toThrow('nothing to add')
  })

  it('a file that vanishes while read fails the addition and leaves nothing stored', async () => {
    const store = new MemoryBlockstore()
    const entries: AddEntry[] = [
      { path: 'dir/first', file: bytesSource(new Uint8Array(3 * 1024 * 1024).fill(9)) },
      { path: 'dir/second', file: vanishingSource(5 * 1024 * 1024, 2 * 1024 * 1024) }
    ]
    const failed = add(entries, 'unixfs-v1-2025', { blockstore: store })
    await expect(failed).rejects.toBeInstanceOf(FileReadError)
    await expect(failed).rejects.toThrow('"dir/second" could not be read to the end')
    expect((await store.stat()).blocks).toBe(0)
  })

  it('an abort takes everything back', async () => {
    const store = new MemoryBlockstore()
    const controller = new AbortController()
    const entries: AddEntry[] = [{ path: 'big', file: chachaSource('abort', 64 * 1024 * 1024) }]
    setTimeout(() => controller.abort(), 50)
    await expect(add(entries, 'unixfs-v1-2025', { blockstore: store, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' })
    expect((await store.stat()).blocks).toBe(0)
  })

  it('a file of 2 GiB + 1 byte streams through without being held in memory; its root says its true size', async () => {
    const size = 2 * 1024 * 1024 * 1024 + 1
    const store = new KeepingNodes()
    const base = process.memoryUsage().rss
    let peak = 0
    const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss - base) }, 20)
    const ours = await add([{ path: 'huge', file: chachaSource('two-gib', size) }], 'unixfs-v1-2025', { blockstore: store })
    clearInterval(timer)
    expect(peak).toBeLessThan(256 * 1024 * 1024)
    expect(ours.bytes).toBe(size)
    // 2049 leaves: two full nodes of 1024 and one of the last leaf, under a root.
    const root = dagPb.decode(store.nodes.get(ours.root) as Uint8Array)
    const data = UnixFS.unmarshal(root.Data as Uint8Array)
    expect(data.fileSize()).toBe(BigInt(size))
    expect(data.blockSizes).toEqual([2n ** 30n, 2n ** 30n, 1n])
    expect(root.Links.map(l => l.Tsize)).toEqual([1073793035, 1073793035, 53])
    // ipfs-unixfs-importer 17.1.1 (protons-runtime 7.1.2) writes this fileSize, 2^31 + 1, as
    // the bytes 01 00 00 00 00: not a valid protobuf varint, so its root differs from Kubo's
    // here. Every node below the root is the same, which the two middle nodes' CIDs show.
    const reference = new KeepingNodes()
    // The importer only puts blocks.
    await referenceRoot([{ path: 'huge', file: chachaSource('two-gib', size) }], 'unixfs-v1-2025', false, reference as unknown as Blockstore)
    expect(root.Links.map(l => l.Hash.toString())).toEqual([...reference.nodes.keys()].slice(0, 3))
  }, 300_000)

  it('100 000 files in one folder become a HAMT', async () => {
    const entries: AddEntry[] = Array.from({ length: 100_000 }, (_, i) => ({ path: `many/file-${i}`, file: bytesSource(new TextEncoder().encode(String(i))) }))
    const summary = await add(entries, 'unixfs-v1-2025', { blockstore: new CountingBlockstore() })
    expect(summary.files).toBe(100_000)
    expect(summary.blocks).toBeGreaterThan(100_000)
  }, 120_000)
})
