import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { MemoryBlockstore } from '../../../src/content/blockstore/memory-blockstore.ts'
import { READ_AHEAD_BLOCKS, READ_AHEAD_MS, ServingStore } from '../../../src/exchange/serving-store.ts'

async function rawBlock (text: string): Promise<{ cid: CID, bytes: Uint8Array }> {
  const bytes = new TextEncoder().encode(text)
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
}

/** A memory blockstore that counts the reads Bitswap serving makes. */
function countingStore (): { store: MemoryBlockstore, reads: () => number } {
  const store = new MemoryBlockstore()
  let reads = 0
  const getBytes = store.getBytes.bind(store)
  store.getBytes = async (cid, options) => { reads++; return getBytes(cid, options) }
  return { store, reads: () => reads }
}

async function bytesOf (served: ServingStore, cid: CID): Promise<Uint8Array> {
  for await (const bytes of served.get(cid)) return bytes
  throw new Error('nothing yielded')
}

describe('ServingStore (what Bitswap serves from)', () => {
  it('answers has and then get with one read of the store, started when the want arrives', async () => {
    const { store, reads } = countingStore()
    const block = await rawBlock('served once')
    await store.put(block.cid, block.bytes)
    const served = new ServingStore({ blockstore: store, sharing: () => true, maxBlockBytes: 1024 })

    served.readAhead([block.cid])
    expect(reads()).toBe(1)
    expect(served.pending()).toBe(1)
    expect(await served.has(block.cid)).toBe(true)
    expect(await bytesOf(served, block.cid)).toEqual(block.bytes)
    expect(reads()).toBe(1)
    expect(served.pending()).toBe(0)
  })

  it('remembers a missing block until the store writes it, but not when the write came during the read', async () => {
    const { store, reads } = countingStore()
    const block = await rawBlock('arrives later')
    const served = new ServingStore({ blockstore: store, sharing: () => true, maxBlockBytes: 1024 })

    expect(await served.has(block.cid)).toBe(false)
    expect(await served.has(block.cid)).toBe(false)
    expect(reads()).toBe(1)
    expect(served.knownAbsent()).toBe(1)
    await store.put(block.cid, block.bytes)
    expect(served.knownAbsent()).toBe(0)
    expect(await served.has(block.cid)).toBe(true)
    expect(reads()).toBe(2)

    // The store writes the block while a read that misses it is under way.
    const racing = await rawBlock('written meanwhile')
    const getBytes = store.getBytes.bind(store)
    store.getBytes = async (cid, options) => {
      const reading = getBytes(cid, options)
      await store.put(racing.cid, racing.bytes)
      return reading
    }
    expect(await served.has(racing.cid)).toBe(false)
    expect(served.knownAbsent()).toBe(0)
    store.getBytes = getBytes
    expect(await served.has(racing.cid)).toBe(true)
  })

  it('serves nothing while sharing is off and no block over the limit', async () => {
    const store = new MemoryBlockstore()
    const small = await rawBlock('small')
    const large = await rawBlock('a block over the limit of this store')
    await store.put(small.cid, small.bytes)
    await store.put(large.cid, large.bytes)
    let sharing = false
    const served = new ServingStore({ blockstore: store, sharing: () => sharing, maxBlockBytes: 8 })

    served.readAhead([small.cid])
    expect(served.pending()).toBe(0)
    expect(await served.has(small.cid)).toBe(false)
    await expect(bytesOf(served, small.cid)).rejects.toThrow(/sharing is off/)
    sharing = true
    expect(await served.has(small.cid)).toBe(true)
    expect(await served.has(large.cid)).toBe(false)
    await expect(bytesOf(served, large.cid)).rejects.toThrow(/not stored or is over/)
  })

  it('starts at most READ_AHEAD_BLOCKS reads, drops what waited READ_AHEAD_MS, and forgets cancelled wants', async () => {
    const { store, reads } = countingStore()
    let now = 0
    const served = new ServingStore({ blockstore: store, sharing: () => true, maxBlockBytes: 1024 }, () => now)
    const blocks = await Promise.all(Array.from({ length: READ_AHEAD_BLOCKS + 8 }, async (_, i) => rawBlock(`block ${i}`)))
    for (const b of blocks) await store.put(b.cid, b.bytes)

    served.readAhead(blocks.map(b => b.cid))
    expect(served.pending()).toBe(READ_AHEAD_BLOCKS)
    expect(reads()).toBe(READ_AHEAD_BLOCKS)
    served.forget([blocks[0].cid])
    expect(served.pending()).toBe(READ_AHEAD_BLOCKS - 1)
    // A want past the cap is read when its turn comes, and taken.
    expect(await bytesOf(served, blocks.at(-1)?.cid as CID)).toEqual(blocks.at(-1)?.bytes)
    expect(reads()).toBe(READ_AHEAD_BLOCKS + 1)
    expect(served.pending()).toBe(READ_AHEAD_BLOCKS - 1)
    now += READ_AHEAD_MS + 1
    served.readAhead([blocks[0].cid])
    expect(served.pending()).toBe(1)
  })
})
