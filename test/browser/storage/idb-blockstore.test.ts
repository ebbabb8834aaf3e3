import { describe, expect, it } from 'vitest'
import { interfaceBlockstoreTests } from 'interface-blockstore-tests'
import { deleteDB } from 'idb'
import { CID } from 'multiformats/cid'
import { identity } from 'multiformats/hashes/identity'
import { ready, sha256Hasher } from '../../../src/hotpath/index.ts'
import { IdbBlockstore } from '../../../src/storage/idb-blockstore.ts'
import { openCairnDatabase } from '../../../src/storage/database.ts'

let counter = 0
const opened = new Map<IdbBlockstore, { name: string, close: () => void }>()

async function freshStore (init = {}): Promise<IdbBlockstore> {
  await ready()
  const name = `cairn-test-${Date.now()}-${counter++}`
  const db = await openCairnDatabase(name)
  const store = new IdbBlockstore(db, init)
  opened.set(store, { name, close: () => db.close() })
  return store
}

async function dispose (store: IdbBlockstore): Promise<void> {
  const entry = opened.get(store)
  if (entry === undefined) return
  entry.close()
  await deleteDB(entry.name)
  opened.delete(store)
}

describe('IdbBlockstore in Chromium', () => {
  describe('interface-blockstore compliance tests', () => {
    interfaceBlockstoreTests({ setup: freshStore, teardown: dispose })
  })

  describe('Cairn behaviour', () => {
    it('rejects a block whose bytes do not match its CID, storing nothing', async () => {
      const store = await freshStore()
      const cid = CID.createV1(0x55, await sha256Hasher.digest(new Uint8Array([1, 2, 3])))
      const err = await store.put(cid, new Uint8Array([9, 9, 9])).then(() => null, (e: Error) => e)
      expect(err?.name).toBe('BlockHashMismatchError')
      expect(await store.has(cid)).toBe(false)
      expect(await store.stat()).toEqual({ blocks: 0, bytes: 0 })
      await dispose(store)
    })

    it('counts blocks and bytes, once per multihash, across putMany batches and deletes', async () => {
      const store = await freshStore({ batchBlocks: 3 })
      const blocks = await Promise.all(Array.from({ length: 10 }, async (_, i) => {
        const bytes = new Uint8Array(100 + i).fill(i)
        return { cid: CID.createV1(0x55, await sha256Hasher.digest(bytes)), bytes }
      }))
      for await (const _ of store.putMany([...blocks, blocks[0]])) { /* drain */ }
      const v0 = CID.createV0(blocks[1].cid.multihash)
      await store.put(v0, blocks[1].bytes)
      expect(await store.stat()).toEqual({ blocks: 10, bytes: 1045 })
      await store.delete(blocks[2].cid)
      expect(await store.stat()).toEqual({ blocks: 9, bytes: 943 })
      await dispose(store)
    })

    it('tells onStored listeners each written batch, once it is committed (putMany and imports)', async () => {
      const store = await freshStore({ batchBlocks: 2 })
      const blocks = await Promise.all(Array.from({ length: 3 }, async (_, i) => {
        const bytes = new Uint8Array(50 + i).fill(i)
        return { cid: CID.createV1(0x55, await sha256Hasher.digest(bytes)), bytes }
      }))
      const heard: string[][] = []
      // A read started when the listener hears of a block finds it: it is committed by then.
      const readable: Array<Promise<boolean>> = []
      const stop = store.onStored(cids => {
        heard.push(cids.map(c => c.toString()))
        for (const cid of cids) readable.push(store.has(cid))
      })
      for await (const _ of store.putMany(blocks.slice(0, 2))) { /* drain */ }
      await store.putVerifiedForImport([blocks[2]], 'import-1')
      expect(heard).toEqual([blocks.slice(0, 2).map(b => b.cid.toString()), [blocks[2].cid.toString()]])
      expect(await Promise.all(readable)).toEqual([true, true, true])
      stop()
      await store.put(blocks[0].cid, blocks[0].bytes)
      expect(heard).toHaveLength(2)
      await dispose(store)
    })

    it('answers identity CIDs without storing them', async () => {
      const store = await freshStore()
      const cid = CID.createV1(0x55, identity.digest(new Uint8Array([7, 8])))
      expect(await store.has(cid)).toBe(true)
      expect(await store.getBytes(cid)).toEqual(new Uint8Array([7, 8]))
      await dispose(store)
    })

    it('keeps a subarray compact when storing it', async () => {
      const store = await freshStore()
      const big = new Uint8Array(1 << 20).fill(5)
      const part = big.subarray(10, 20)
      const cid = CID.createV1(0x55, await sha256Hasher.digest(part))
      await store.put(cid, part)
      const back = await store.getBytes(cid)
      expect(back.buffer.byteLength).toBe(10)
      await dispose(store)
    })
  })

  describe('import marks: an import is taken back exactly', () => {
    const rawBlock = async (text: string): Promise<{ cid: CID, bytes: Uint8Array }> => {
      const bytes = new TextEncoder().encode(text)
      return { cid: CID.createV1(0x55, await sha256Hasher.digest(bytes)), bytes }
    }

    it('rolls back the blocks an import added, batch by batch, and leaves the ones stored before', async () => {
      const store = await freshStore()
      const [before, a, b, c] = await Promise.all(['before', 'a', 'b', 'c'].map(rawBlock))
      await store.put(before.cid, before.bytes)
      expect(await store.putVerifiedForImport([before, a, a, b], 'import-1')).toEqual({ blocks: 2, bytes: 2 })
      expect(await store.putVerifiedForImport([c], 'import-1')).toEqual({ blocks: 1, bytes: 1 })
      expect(await store.stat()).toEqual({ blocks: 4, bytes: 9 })
      let rounds = 0
      while (await store.rollBackImport('import-1') > 0) rounds++
      expect(rounds).toBe(2)
      expect(await store.hasMany([before.cid, a.cid, b.cid, c.cid])).toEqual([true, false, false, false])
      expect(await store.stat()).toEqual({ blocks: 1, bytes: 6 })
      await dispose(store)
    })

    it('keeps a block an ordinary put or another import wrote while the import ran', async () => {
      const store = await freshStore()
      const [a, b, c] = await Promise.all(['a', 'b', 'c'].map(rawBlock))
      await store.putVerifiedForImport([a, b, c], 'import-1')
      await store.put(a.cid, a.bytes)
      await store.putVerifiedForImport([b], 'import-2')
      await store.commitImport('import-2')
      while (await store.rollBackImport('import-1') > 0) { /* next batch */ }
      expect(await store.hasMany([a.cid, b.cid, c.cid])).toEqual([true, true, false])
      expect(await store.stat()).toEqual({ blocks: 2, bytes: 2 })
      await dispose(store)
    })

    it('forgets a committed import\'s marks in one step: nothing is taken back after', async () => {
      const store = await freshStore()
      const blocks = await Promise.all(Array.from({ length: 50 }, async (_, i) => rawBlock(`block ${i}`)))
      for (let i = 0; i < blocks.length; i += 10) await store.putVerifiedForImport(blocks.slice(i, i + 10), 'import-1')
      await store.commitImport('import-1')
      expect(await store.rollBackImport('import-1')).toBe(0)
      expect(await store.stat()).toEqual({ blocks: 50, bytes: blocks.reduce((n, b) => n + b.bytes.length, 0) })
      await dispose(store)
    })
  })
})
