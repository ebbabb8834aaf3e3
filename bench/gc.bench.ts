import * as dagCbor from '@ipld/dag-cbor'
import { deleteDB } from 'idb'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { create as createDigest } from 'multiformats/hashes/digest'
import { sha256Hasher, sha256Many } from '../src/hotpath/index.ts'
import { webStoreLock } from '../src/content/blockstore/store-lock.ts'
import { Library } from '../src/library/library.ts'
import { openCairnDatabase } from '../src/storage/database.ts'
import { IdbBlockstore } from '../src/storage/idb-blockstore.ts'
import { IdbPinStore } from '../src/storage/idb-pin-store.ts'
import { IdbRecordStore } from '../src/storage/idb-record-store.ts'
import { drain, type BenchRow } from './harness.ts'
import { idbStores } from './helia-idb.ts'

const PINS = 100
const PER_PIN = 500
const GARBAGE = 50_000
const TOTAL = PINS * PER_PIN + GARBAGE

interface Fixture { blocks: Array<{ cid: CID, bytes: Uint8Array }>, roots: CID[] }

/** 100 DAG-CBOR roots of 499 raw leaves each (50 000 blocks to keep) and 50 000 loose raw blocks. */
async function fixture (): Promise<Fixture> {
  const leaves = Array.from({ length: PINS * (PER_PIN - 1) + GARBAGE }, (_, i) => new TextEncoder().encode(`block ${i}`))
  const digests = sha256Many(leaves)
  const blocks: Array<{ cid: CID, bytes: Uint8Array }> = leaves.map((bytes, i) => ({ cid: CID.createV1(raw.code, createDigest(0x12, digests[i])), bytes }))
  const roots: CID[] = []
  for (let pin = 0; pin < PINS; pin++) {
    const links = blocks.slice(pin * (PER_PIN - 1), (pin + 1) * (PER_PIN - 1)).map(b => b.cid)
    const bytes = dagCbor.encode({ links })
    const root = CID.createV1(dagCbor.code, await sha256Hasher.digest(bytes))
    roots.push(root)
    blocks.push({ cid: root, bytes })
  }
  return { blocks, roots }
}

/**
 * Garbage collection of a store of 100 000 blocks, half reachable from 100 pins: Cairn's
 * `Library.gc` on its IndexedDB store against Helia's `gc()` over `blockstore-idb` and
 * `datastore-idb` with the same pins. Only the collection is timed; one run each (setting up
 * Helia's store takes minutes). A row's ops are blocks looked at.
 */
export async function gcBenchmarks (): Promise<BenchRow[]> {
  const { blocks, roots } = await fixture()
  const row = (impl: string, ms: number): BenchRow => ({ group: 'garbage collection', case: `${TOTAL} blocks, ${PINS * PER_PIN} pinned by ${PINS} pins`, impl, opsPerSec: TOTAL / (ms / 1000), bytesPerOp: 0 })

  const cairnName = `bench-gc-cairn-${Date.now()}`
  const db = await openCairnDatabase(cairnName)
  const blockstore = new IdbBlockstore(db, { verify: false })
  await drain(blockstore.putMany(blocks))
  const library = new Library({ blockstore, pins: new IdbPinStore(db, 'pins'), lock: webStoreLock(cairnName), cache: new IdbRecordStore(db, 'cache') })
  for (const root of roots) await library.pin(root)
  let started = performance.now()
  const summary = await library.gc()
  const cairnMs = performance.now() - started
  if (summary.removedBlocks !== GARBAGE) throw new Error(`cairn gc removed ${summary.removedBlocks}, not ${GARBAGE}`)
  db.close()
  await deleteDB(cairnName)

  const heliaStores = await idbStores(`bench-gc-helia-${Date.now()}`)
  const { helia, blockstore: heliaBlocks, remove } = await heliaStores.start()
  await drain(helia.blockstore.putMany(blocks))
  for (const root of roots) await drain(helia.pins.add(root))
  started = performance.now()
  await helia.gc()
  const heliaMs = performance.now() - started
  let left = 0
  for await (const _ of heliaBlocks.getAll()) left++
  if (left !== PINS * PER_PIN) throw new Error(`helia gc left ${left} blocks, not ${PINS * PER_PIN}`)
  await remove()
  return [row('cairn Library.gc (IndexedDB)', cairnMs), row('helia gc (blockstore-idb + datastore-idb)', heliaMs)]
}
