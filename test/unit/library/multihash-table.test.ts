import { CID } from 'multiformats/cid'
import { sha256, sha512 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { LinkStack } from '../../../src/library/link-stack.ts'
import { MultihashTable } from '../../../src/library/multihash-table.ts'

/** Deterministic multihash-like byte strings: a SHA-256 prefix, then a counter spread over the digest. */
function fakeMultihash (n: number, length = 34): Uint8Array {
  const bytes = new Uint8Array(length)
  bytes[0] = 0x12
  bytes[1] = length - 2
  new DataView(bytes.buffer).setUint32(length - 4, n)
  return bytes
}

describe('the multihash table (GC marks)', () => {
  it('is exact through many growths: everything added is found, near misses are not', () => {
    const table = new MultihashTable()
    const n = 200_000
    for (let i = 0; i < n; i++) expect(table.insert(fakeMultihash(i))).toBe(i)
    expect(table.size).toBe(n)
    for (let i = 0; i < n; i++) expect(table.find(fakeMultihash(i))).toBe(i)
    // Same digest tail with one byte changed, a different length, another counter: absent.
    for (let i = 0; i < 1000; i++) {
      const near = fakeMultihash(i)
      near[5] ^= 1
      expect(table.find(near)).toBe(-1)
      expect(table.find(fakeMultihash(i, 35))).toBe(-1)
      expect(table.find(fakeMultihash(n + i))).toBe(-1)
    }
    // Adding again gives the same entry and does not grow the table.
    expect(table.insert(fakeMultihash(7))).toBe(7)
    // Every entry keeps its flags through the growths (one once went past a typed array's end).
    for (let i = 0; i < n; i++) table.setFlag(i, i % 2 === 0 ? 1 : 2)
    for (let i = 0; i < n; i++) expect(table.flags(i)).toBe(i % 2 === 0 ? 1 : 2)
    expect([...table.withFlag(1)].length).toBe(n / 2)
    expect(table.size).toBe(n)
    expect(table.multihash(123)).toEqual(fakeMultihash(123))
  })

  it('keeps flags per entry and lists the entries that carry one', () => {
    const table = new MultihashTable()
    const a = table.insert(fakeMultihash(1))
    const b = table.insert(fakeMultihash(2))
    expect(table.setFlag(a, 1)).toBe(true)
    expect(table.setFlag(a, 1)).toBe(false)
    expect(table.setFlag(b, 2)).toBe(true)
    expect(table.flags(a)).toBe(1)
    expect([...table.withFlag(1)]).toEqual([a])
    expect([...table.withFlag(2)]).toEqual([b])
  })

  it('holds multihashes of different lengths and functions side by side', async () => {
    const table = new MultihashTable()
    const short = (await sha256.digest(new Uint8Array([1]))).bytes
    const long = (await sha512.digest(new Uint8Array([1]))).bytes
    expect(table.insert(short)).toBe(0)
    expect(table.insert(long)).toBe(1)
    expect(table.find(long)).toBe(1)
    expect(table.multihash(1)).toEqual(long)
  })

  it('holds 1 000 000 SHA-256 multihashes with their flags in under 64 MiB (the two Sets of base64 strings it replaces took about 220 MB)', () => {
    const table = new MultihashTable()
    for (let i = 0; i < 1_000_000; i++) table.insert(fakeMultihash(i))
    // 34 bytes of multihash, 4 of start, 1 of flags, 8 to 16 of slots, plus growth headroom.
    expect(table.byteLength).toBeLessThan(64 * 1024 * 1024)
  })
})

describe('the link stack of a walk', () => {
  it('gives back the CIDs pushed, newest first, CIDv0 and v1 alike', async () => {
    const stack = new LinkStack()
    const cids: CID[] = []
    for (let i = 0; i < 5000; i++) {
      const digest = await sha256.digest(new Uint8Array([i & 255, i >> 8]))
      cids.push(i % 3 === 0 ? CID.createV0(digest) : CID.createV1(i % 2 === 0 ? 0x55 : 0x71, digest))
    }
    for (const cid of cids) stack.push(cid)
    expect(stack.length).toBe(5000)
    const popped: string[] = []
    for (let cid = stack.pop(); cid !== undefined; cid = stack.pop()) popped.push(cid.toString())
    expect(popped).toEqual(cids.map(c => c.toString()).reverse())
  })
})
