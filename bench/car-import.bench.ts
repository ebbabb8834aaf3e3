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

const TOTAL = 64 * 1024 * 1024

/** A 64 MiB CARv1 of raw blocks of `size`, as a Blob (what a picked file is). */
function carOf (size: number): Blob {
  const blocks = Array.from({ length: TOTAL / size }, (_, i) => bytesOf(size, i + 1))
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
 * CAR import (parse + verify + store) of 64 MiB from a Blob: Cairn's WASM reader and journaled
 * batches against `@ipld/car` + `multiformats` sha2-256 + `blockstore-idb`.
 */
export async function carImportBenchmarks (): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  for (const size of [256 * 1024, 1024 * 1024]) {
    const car = carOf(size)
    const label = `64 MiB of ${size / 1024} KiB blocks`
    const add = (impl: string, seconds: number): void => { rows.push({ group: 'CAR import', case: label, impl, opsPerSec: 1 / seconds, bytesPerOp: car.size }) }
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
          yield { cid: block.cid, bytes: block.bytes }
        }
      }
      for await (const _ of store.putMany(verified())) { /* stored */ }
      await store.close()
      await deleteDB(name)
    }))
  }
  return rows
}
