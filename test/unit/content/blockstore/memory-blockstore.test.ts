import { describe, expect, it } from 'vitest'
import { interfaceBlockstoreTests } from 'interface-blockstore-tests'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { MemoryBlockstore } from '../../../../src/content/blockstore/memory-blockstore.ts'

const raw = async (text: string): Promise<{ cid: CID, bytes: Uint8Array }> => {
  const bytes = new TextEncoder().encode(text)
  return { cid: CID.createV1(0x55, await sha256.digest(bytes)), bytes }
}

describe('MemoryBlockstore', () => {
  describe('interface-blockstore compliance tests', () => {
    interfaceBlockstoreTests({ setup: () => new MemoryBlockstore(), teardown: () => {} })
  })

  describe('the import journal, as the IndexedDB blockstore keeps it', () => {
    it('rolls back exactly what an import added', async () => {
      const store = new MemoryBlockstore()
      const before = await raw('stored before')
      await store.put(before.cid, before.bytes)
      const fresh = await raw('added by the import')
      expect(await store.putVerifiedForImport([before, fresh], 'import-1')).toEqual({ blocks: 1, bytes: fresh.bytes.length })
      expect(await store.rollBackImport('import-1')).toBe(1)
      expect(await store.has(before.cid)).toBe(true)
      expect(await store.has(fresh.cid)).toBe(false)
    })

    it('keeps a block an ordinary put wanted meanwhile, and one another import wrote too', async () => {
      const store = new MemoryBlockstore()
      const [a, b] = await Promise.all([raw('a'), raw('b')])
      await store.putVerifiedForImport([a, b], 'import-1')
      await store.put(a.cid, a.bytes)
      await store.putVerifiedForImport([b], 'import-2')
      expect(await store.rollBackImport('import-1')).toBe(0)
      expect(await store.has(a.cid)).toBe(true)
      expect(await store.has(b.cid)).toBe(true)
    })

    it('forgets the marks of a committed import', async () => {
      const store = new MemoryBlockstore()
      const a = await raw('a')
      await store.putVerifiedForImport([a], 'import-1')
      await store.commitImport('import-1')
      expect(await store.rollBackImport('import-1')).toBe(0)
      expect(await store.has(a.cid)).toBe(true)
    })
  })
})
