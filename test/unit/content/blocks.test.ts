import { describe, expect, it } from 'vitest'
import type { InputPair } from 'interface-blockstore'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { createBlocks } from '../../../src/content/blocks.ts'
import { MemoryBlockstore } from '../../../src/content/blockstore/memory-blockstore.ts'
import { memoryStoreLock } from '../../../src/content/blockstore/store-lock.ts'
import { StorageFullError } from '../../../src/storage/storage-full.ts'

/** A memory blockstore whose writes fail as a full IndexedDB quota does. */
class FullBlockstore extends MemoryBlockstore {
  override async * putMany (source: Iterable<InputPair> | AsyncIterable<InputPair>): AsyncGenerator<CID> {
    for await (const _ of source) throw new StorageFullError('the browser refused 1 block (5 bytes): the storage quota is reached')
    yield * []
  }
}

async function fetchedBlock (): Promise<{ cid: CID, bytes: Uint8Array }> {
  const bytes = new TextEncoder().encode('shown')
  return { cid: CID.createV1(0x55, await sha256.digest(bytes)), bytes }
}

describe('Blocks: a fetched block stored after its reader has it (storeAfterReading)', () => {
  it('hands the verified bytes over, then stores them', async () => {
    const block = await fetchedBlock()
    const blockstore = new MemoryBlockstore()
    const notKept: unknown[] = []
    const blocks = createBlocks({ blockstore, lock: memoryStoreLock(), network: { fetch: async () => ({ bytes: block.bytes }), announce: () => {} }, onNotKept: (_cid, err) => notKept.push(err) })
    expect(await blocks.get(block.cid, { storeAfterReading: true })).toEqual(block.bytes)
    await expect.poll(async () => blockstore.has(block.cid)).toBe(true)
    expect(notKept).toEqual([])
  })

  it('the reader may take (detach) its bytes while the write still holds the block', async () => {
    const block = await fetchedBlock()
    const blockstore = new MemoryBlockstore()
    const blocks = createBlocks({ blockstore, lock: memoryStoreLock(), network: { fetch: async () => ({ bytes: block.bytes.slice() }), announce: () => {} } })
    const read = await blocks.get(block.cid, { storeAfterReading: true })
    structuredClone(read.buffer, { transfer: [read.buffer] })
    expect(read.byteLength).toBe(0)
    await expect.poll(async () => blockstore.has(block.cid)).toBe(true)
    expect(await blockstore.getBytes(block.cid)).toEqual(block.bytes)
  })

  it('a block read again while its write runs comes from that write, not from the network again', async () => {
    const block = await fetchedBlock()
    let release = (): void => {}
    const held = new Promise<void>(resolve => { release = resolve })
    class SlowBlockstore extends MemoryBlockstore {
      override async * putMany (source: Iterable<InputPair> | AsyncIterable<InputPair>): AsyncGenerator<CID> {
        await held
        yield * super.putMany(source)
      }
    }
    const blockstore = new SlowBlockstore()
    let fetches = 0
    const blocks = createBlocks({ blockstore, lock: memoryStoreLock(), network: { fetch: async () => { fetches++; return { bytes: block.bytes } }, announce: () => {} } })
    expect(await blocks.get(block.cid, { storeAfterReading: true })).toEqual(block.bytes)
    expect(await blocks.get(block.cid, { storeAfterReading: true })).toEqual(block.bytes)
    // A reader that reports content as stored waits for the write.
    let durable = false
    const waiting = blocks.get(block.cid).then(bytes => { durable = true; return bytes })
    await new Promise(resolve => setTimeout(resolve, 20))
    expect(durable).toBe(false)
    release()
    expect(await waiting).toEqual(block.bytes)
    expect(await blockstore.has(block.cid)).toBe(true)
    expect(fetches).toBe(1)
  })

  it('a write that fails after the reader had the block is told through onNotKept, and nothing claims it is stored', async () => {
    const block = await fetchedBlock()
    const blockstore = new FullBlockstore()
    const notKept: Array<{ cid: string, err: unknown }> = []
    const blocks = createBlocks({ blockstore, lock: memoryStoreLock(), network: { fetch: async () => ({ bytes: block.bytes }), announce: () => {} }, onNotKept: (cid, err) => notKept.push({ cid: cid.toString(), err }) })
    expect(await blocks.get(block.cid, { storeAfterReading: true })).toEqual(block.bytes)
    await expect.poll(() => notKept.length).toBe(1)
    expect(notKept[0].cid).toBe(block.cid.toString())
    expect(notKept[0].err).toBeInstanceOf(StorageFullError)
    expect(await blocks.has(block.cid)).toBe(false)
    // A reader that reports content as stored waits for the write, and hears its failure.
    await expect(blocks.get(block.cid)).rejects.toThrow(StorageFullError)
  })
})
