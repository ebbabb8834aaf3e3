import { IDBBlockstore } from 'blockstore-idb'
import { deleteDB } from 'idb'
import { CID } from 'multiformats/cid'
import { sha256Many } from '../src/hotpath/index.ts'
import { create as createDigest } from 'multiformats/hashes/digest'
import { IdbBlockstore } from '../src/storage/idb-blockstore.ts'
import { openCairnDatabase } from '../src/storage/database.ts'
import { bytesOf } from '../test/support/bytes.ts'
import { drain, timed, type BenchRow } from './harness.ts'

const TOTAL = 16 * 1024 * 1024
/** `putMany` of 16 MiB in 4 KiB and 256 KiB blocks: ours against `blockstore-idb`. */
export async function blockstoreBenchmarks (): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  for (const size of [4 * 1024, 256 * 1024]) {
    const count = TOTAL / size
    const label = `${count} × ${size / 1024} KiB`
    const blocks = Array.from({ length: count }, (_, i) => bytesOf(size, i + 1))
    const cids = sha256Many(blocks).map(d => CID.createV1(0x55, createDigest(0x12, d)))
    const pairs = blocks.map((bytes, i) => ({ cid: cids[i], bytes }))
    const add = (impl: string, seconds: number): void => { rows.push({ group: 'blockstore putMany', case: label, impl, opsPerSec: 1 / seconds, bytesPerOp: TOTAL }) }

    for (const verify of [false, true]) {
      add(`cairn IdbBlockstore${verify ? ' (verify)' : ''}`, await timed(async round => {
        const name = `bench-cairn-${size}-${verify}-${round}`
        const db = await openCairnDatabase(name)
        await drain(new IdbBlockstore(db, { verify }).putMany(pairs))
        db.close()
        await deleteDB(name)
      }))
    }
    add('blockstore-idb', await timed(async round => {
      const name = `bench-ref-${size}-${round}`
      const store = new IDBBlockstore(name)
      await store.open()
      await drain(store.putMany(pairs))
      await store.close()
      await deleteDB(name)
    }))
  }
  return rows
}
