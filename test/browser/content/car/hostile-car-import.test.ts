import { afterEach, describe, expect, it } from 'vitest'
import { deleteDB, type IDBPDatabase } from 'idb'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { ready } from '../../../../src/hotpath/index.ts'
import { IdbBlockstore } from '../../../../src/storage/idb-blockstore.ts'
import { memoryStoreLock } from '../../../../src/content/blockstore/store-lock.ts'
import { importCar } from '../../../../src/content/car/car-import.ts'
import { IdbImportLog } from '../../../../src/storage/idb-import-log.ts'
import { openCairnDatabase, type BlockKey, type CairnSchema } from '../../../../src/storage/database.ts'
import { mutate } from '../../../fuzz/mutate.ts'
import { Rng } from '../../../fuzz/rng.ts'
import { randomCar } from '../../../fuzz/targets.ts'

/**
 * Hostile CARs against a real IndexedDB store: whatever is refused leaves the store exactly
 * as it was (blocks, bytes, totals, import marks), and one unreadable record does not hide the rest.
 */

const lock = memoryStoreLock()

const fromHex = (hex: string): Uint8Array => Uint8Array.from(hex.replace(/\s/g, '').match(/../g) ?? [], b => parseInt(b, 16))

async function fixture (path: string): Promise<Uint8Array> {
  const response = await fetch(`/@fs${__CAIRN_FIXTURES__}/gateway-conformance/fixtures/${path}`)
  if (!response.ok) throw new Error(`fixture ${path}: HTTP ${response.status}`)
  return new Uint8Array(await response.arrayBuffer())
}

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
})

async function fresh (): Promise<{ db: IDBPDatabase<CairnSchema>, blockstore: IdbBlockstore, imports: IdbImportLog }> {
  await ready()
  const name = `cairn-hostile-${Date.now()}-${Math.random()}`
  const db = await openCairnDatabase(name)
  cleanups.push(async () => { db.close(); await deleteDB(name) })
  return { db, blockstore: new IdbBlockstore(db), imports: new IdbImportLog(db) }
}

/** Every record of the blocks and import marks stores, and the totals, as one comparable text. */
async function snapshot (db: IDBPDatabase<CairnSchema>): Promise<string> {
  const hex = (b: Uint8Array): string => Array.from(b, x => x.toString(16).padStart(2, '0')).join('')
  const keys = await db.getAllKeys('blocks')
  const records = await db.getAll('blocks')
  const blocks = records.map((r, i) => `${hex(keys[i])}=${hex(r.cid)}:${hex(r.bytes)}`)
  return JSON.stringify({ blocks, marks: await db.getAllKeys('importMarks'), totals: await db.get('totals', 'blocks') ?? null })
}

const REPRODUCERS: Array<[string, Uint8Array]> = [
  ['nested array heads in the header', Uint8Array.from([0x80, 0x04, ...Array.from({ length: 170 }, (_, i) => [0x99, (509 - 3 * i) >> 8, (509 - 3 * i) & 0xff]).flat(), 0, 0])],
  ['a ten-byte varint in a section CID', fromHex(`11a265726f6f7473806776657273696f6e01 32 01d5808080808080808001 1220
    2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 68656c6c6f`)],
  ['a CARv2 whose data ends inside its inner header', fromHex(`0aa16776657273696f6e02 ${'00'.repeat(16)} 3300000000000000 0500000000000000
    0000000000000000 11a265726f6f7473806776657273696f6e01`)]
]

describe('hostile CAR imports', () => {
  it('each reproducer is refused by name and the store is unchanged', async () => {
    const { db, blockstore, imports } = await fresh()
    await importCar([await fixture('path_gateway_dag/dag-pb.car')], { blockstore, imports, lock, name: 'before.car' })
    const before = await snapshot(db)
    for (const [what, car] of REPRODUCERS) {
      const err = await importCar([car], { blockstore, imports, lock, name: what }).then(() => undefined, (e: Error) => e)
      expect(err?.name, what).toBe('CarFormatError')
      expect(await snapshot(db), what).toBe(before)
    }
  })

  it('200 seeded mutations of real and random CARs: refused ones leave the store as it was', async () => {
    const { db, blockstore, imports } = await fresh()
    const seeds = [await fixture('path_gateway_unixfs/dir-with-files.car'), await fixture('path_gateway_dag/dag-cbor-traversal.car')]
    const rng = new Rng(0xca5)
    let refused = 0
    for (let i = 0; i < 200; i++) {
      const car = i % 2 === 0 ? mutate(rng, rng.pick(seeds)) : mutate(rng, randomCar(rng))
      const before = await snapshot(db)
      const err = await importCar([car], { blockstore, imports, lock, name: `mutation ${i}` }).then(() => undefined, (e: Error) => e)
      if (err !== undefined) {
        refused++
        expect(['CarFormatError', 'CarTruncatedError', 'BlockHashMismatchError', 'UnsupportedMultihashError'], `mutation ${i}: ${err.message}`).toContain(err.name)
        expect(await snapshot(db), `mutation ${i}`).toBe(before)
      }
    }
    expect(refused).toBeGreaterThan(100)
  })
})

describe('a store with an unreadable record', () => {
  it('lists every other block', async () => {
    const { db, blockstore } = await fresh()
    const good = new TextEncoder().encode('a block stored before')
    const cid = CID.createV1(0x55, await sha256.digest(good))
    await blockstore.put(cid, good)
    // What the ten-byte varint once left behind: a record whose CID multiformats refuses.
    const bad = fromHex('01d5808080808080808001 1220 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824')
    await db.put('blocks', { cid: bad, bytes: good }, bad.subarray(11) as BlockKey)
    const listed: string[] = []
    for await (const pair of blockstore.getAll()) listed.push(pair.cid.toString())
    expect(listed).toEqual([cid.toString()])
    expect(await blockstore.has(cid)).toBe(true)
  })
})
