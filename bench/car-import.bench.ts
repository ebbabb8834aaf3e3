import { CarBlockIterator } from '@ipld/car'
import { IDBBlockstore } from 'blockstore-idb'
import { deleteDB } from 'idb'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { carHeaderBytes, carSectionBytes } from '../src/gateway/car-stream.ts'
import { sha256Many } from '../src/hotpath/index.ts'
import { create as createDigest } from 'multiformats/hashes/digest'
import { IdbBlockstore } from '../src/storage/idb-blockstore.ts'
import { importCar } from '../src/content/car/car-import.ts'
import { IdbImportLog } from '../src/storage/idb-import-log.ts'
import { memoryStoreLock } from '../src/content/blockstore/store-lock.ts'
import { openCairnDatabase } from '../src/storage/database.ts'
import { bytesOf } from '../test/support/bytes.ts'
import { timed, type BenchRow } from './harness.ts'

/** Each case: block size and how many blocks (64 MiB of large blocks; 30 000 small ones, as a user's export of many small records). */
const CASES = [
  { size: 256 * 1024, count: 256 },
  { size: 1024 * 1024, count: 64 },
  { size: 1024, count: 30_000 },
  { size: 4 * 1024, count: 30_000 }
]

/** A CARv1 of `count` raw blocks of `size`, as a Blob (what a picked file is). */
function carOf (size: number, count: number): Blob {
  const blocks = Array.from({ length: count }, (_, i) => bytesOf(size, i + 1))
  const cids = sha256Many(blocks).map(d => CID.createV1(0x55, createDigest(0x12, d)))
  const parts = [carHeaderBytes([cids[0]]), ...blocks.map((bytes, i) => carSectionBytes({ cid: cids[i], bytes }))]
  return new Blob(parts as Array<Uint8Array<ArrayBuffer>>)
}

async function * chunksOf (blob: Blob): AsyncGenerator<Uint8Array> {
  const reader = blob.stream().getReader()
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return
    yield value
  }
}

function equal (a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i])
}

/**
 * CAR import (parse + verify + store) from a Blob: Cairn's WASM reader and journaled batches
 * against `@ipld/car` + `multiformats` sha2-256 + `blockstore-idb`, for 30 000 small blocks
 * and for 64 MiB of large ones.
 */
export async function carImportBenchmarks (): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  for (const { size, count } of CASES) {
    const car = carOf(size, count)
    const label = size * count === 64 * 1024 * 1024 ? `64 MiB of ${size / 1024} KiB blocks` : `${count} × ${size / 1024} KiB blocks`
    const add = (impl: string, seconds: number): void => {
      rows.push({ group: 'CAR import', case: label, impl, opsPerSec: 1 / seconds, bytesPerOp: car.size, note: `${Math.round(count / seconds).toLocaleString('en')} blocks/s` })
    }
    add('cairn importCar (WASM framing, one verifier, IdbBlockstore)', await timed(async round => {
      const name = `bench-car-cairn-${size}-${round}`
      const db = await openCairnDatabase(name)
      await importCar(chunksOf(car), { blockstore: new IdbBlockstore(db), imports: new IdbImportLog(db), lock: memoryStoreLock(), name: 'bench.car', totalBytes: car.size })
      db.close()
      await deleteDB(name)
    }))
    add('@ipld/car + multiformats sha256 + blockstore-idb', await timed(async round => {
      const name = `bench-car-ref-${size}-${round}`
      const store = new IDBBlockstore(name)
      await store.open()
      const blocks = await CarBlockIterator.fromIterable(chunksOf(car))
      const verified = async function * () {
        for await (const block of blocks) {
          const digest = await sha256.digest(block.bytes)
          if (!equal(digest.digest, block.cid.multihash.digest)) throw new Error(`block ${block.cid} does not match`)
          // A copy: the reader's blocks are views into its read buffer, and IndexedDB would
          // store the whole buffer for each (1 KiB blocks fill the quota that way).
          yield { cid: block.cid, bytes: block.bytes.slice() }
        }
      }
      for await (const _ of store.putMany(verified())) { /* stored */ }
      await store.close()
      await deleteDB(name)
    }))
  }
  return rows
}
