import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import * as dagCbor from '@ipld/dag-cbor'
import { deleteDB } from 'idb'
import { afterEach, describe, expect, it } from 'vitest'
import { webStoreLock } from '../../../src/content/blockstore/store-lock.ts'
import { ready } from '../../../src/hotpath/index.ts'
import { Library } from '../../../src/library/library.ts'
import { openCairnDatabase } from '../../../src/storage/database.ts'
import { IdbBlockstore } from '../../../src/storage/idb-blockstore.ts'
import { IdbPinStore } from '../../../src/storage/idb-pin-store.ts'
import { IdbRecordStore } from '../../../src/storage/idb-record-store.ts'

const names: string[] = []
afterEach(async () => {
  while (names.length > 0) await deleteDB(names.pop() as string)
})

async function open (name: string): Promise<{ library: Library, blockstore: IdbBlockstore, close: () => void }> {
  await ready()
  const db = await openCairnDatabase(name)
  const blockstore = new IdbBlockstore(db, { verify: false })
  return { library: new Library({ blockstore, pins: new IdbPinStore(db, 'pins'), lock: webStoreLock(`lock-${name}`), cache: new IdbRecordStore(db, 'cache') }), blockstore, close: () => { db.close() } }
}

describe('the library on IndexedDB (Chromium)', () => {
  it('pins survive closing the database; a collection over 100 000 blocks keeps exactly the pinned half', async () => {
    const name = `cairn-library-${Date.now()}`
    names.push(name)
    let { library, blockstore, close } = await open(name)
    // 100 pins, each a DAG-CBOR node linking 499 raw blocks: 50 000 reachable, 50 000 not.
    const batch: Array<{ cid: CID, bytes: Uint8Array }> = []
    const roots: CID[] = []
    for (let pin = 0; pin < 100; pin++) {
      const links: CID[] = []
      for (let i = 0; i < 499; i++) {
        const bytes = new TextEncoder().encode(`pinned ${pin}/${i}`)
        const cid = CID.createV1(raw.code, await sha256.digest(bytes))
        links.push(cid)
        batch.push({ cid, bytes })
      }
      const rootBytes = dagCbor.encode({ links })
      const root = CID.createV1(dagCbor.code, await sha256.digest(rootBytes))
      roots.push(root)
      batch.push({ cid: root, bytes: rootBytes })
    }
    for (let i = 0; i < 50_000; i++) {
      const bytes = new TextEncoder().encode(`garbage ${i}`)
      batch.push({ cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes })
    }
    for await (const stored of blockstore.putMany(batch)) void stored
    expect((await blockstore.stat()).blocks).toBe(100_000)
    for (const root of roots) await library.pin(root, { name: `pin ${root}` })

    close()
    ;({ library, blockstore, close } = await open(name))
    expect((await library.list()).length).toBe(100)
    const page = await library.newest(3)
    expect(page.total).toBe(100)
    // Pins made in the same millisecond tie; the page holds three of the newest.
    const third = (await library.list())[2].pinnedAt
    expect(page.pins).toHaveLength(3)
    expect(page.pins.every(p => p.pinnedAt >= third)).toBe(true)
    const summary = await library.gc()
    expect(summary).toMatchObject({ removedBlocks: 50_000, keptBlocks: 50_000, pins: 100 })
    expect(await blockstore.stat()).toMatchObject({ blocks: 50_000 })
    for (const root of roots.slice(0, 5)) expect((await library.status(root)).complete).toBe(true)
    close()
  }, 120_000)
})
