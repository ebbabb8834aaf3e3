import { afterEach, describe, expect, it } from 'vitest'
import { deleteDB, type IDBPDatabase } from 'idb'
import { CarReader } from '@ipld/car'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { ready } from '../../../../src/hotpath/index.ts'
import { IdbBlockstore } from '../../../../src/storage/idb-blockstore.ts'
import { memoryStoreLock } from '../../../../src/content/blockstore/store-lock.ts'
import { importCar } from '../../../../src/content/car/car-import.ts'
import { recoverImports } from '../../../../src/content/imports/journal.ts'
import { IdbImportLog } from '../../../../src/storage/idb-import-log.ts'
import { openCairnDatabase, type CairnSchema } from '../../../../src/storage/database.ts'

const lock = memoryStoreLock()

const CONFORMANCE_CARS = [
  'gateway-raw-block.car', 'dir_listing/fixtures.car', 'gateway-cache/fixtures.car',
  'path_gateway_dag/dag-cbor-traversal.car', 'path_gateway_dag/dag-json-traversal.car', 'path_gateway_dag/dag-pb.car',
  'path_gateway_dag/gateway-json-cbor.car', 'path_gateway_dag/plain-cbor.car', 'path_gateway_dag/plain-json.car',
  'path_gateway_dag/plain-cbor-that-can-be-dag-cbor.car', 'path_gateway_dag/plain-cbor-that-can-be-dag-json.car',
  'path_gateway_tar/fixtures.car', 'path_gateway_tar/inside-root.car', 'path_gateway_tar/outside-root.car',
  'path_gateway_unixfs/dir-with-files.car', 'path_gateway_unixfs/dir-with-percent-encoded-filename.car', 'path_gateway_unixfs/symlink.car',
  'redirects_file/redirects.car', 'redirects_file/redirects-spa.car', 'subdomain_gateway/fixtures.car',
  'trustless_gateway_car/dir-with-dag-cbor-with-links.car', 'trustless_gateway_car/dir-with-duplicate-files.car',
  'trustless_gateway_car/file-3k-and-3-blocks-missing-block.car', 'trustless_gateway_car/single-layer-hamt-with-multi-block-files.car',
  'trustless_gateway_car/subdir-with-mixed-block-files.car', 'trustless_gateway_car/subdir-with-two-single-block-files.car'
]

async function fixture (path: string): Promise<Uint8Array> {
  const response = await fetch(`/@fs${__CAIRN_FIXTURES__}/gateway-conformance/fixtures/${path}`)
  if (!response.ok) throw new Error(`fixture ${path}: HTTP ${response.status}`)
  return new Uint8Array(await response.arrayBuffer())
}

let counter = 0
const cleanups: Array<() => Promise<void>> = []

async function fresh (): Promise<{ db: IDBPDatabase<CairnSchema>, blockstore: IdbBlockstore, imports: IdbImportLog }> {
  await ready()
  const name = `cairn-import-${Date.now()}-${counter++}`
  const db = await openCairnDatabase(name)
  cleanups.push(async () => { db.close(); await deleteDB(name) })
  return { db, blockstore: new IdbBlockstore(db), imports: new IdbImportLog(db) }
}

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
})

async function * chunks (bytes: Uint8Array, size = 1000): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.slice(at, at + size)
}

/** Everything stored, as sorted CID strings, with the totals. */
async function snapshot (blockstore: IdbBlockstore): Promise<{ cids: string[], totals: unknown }> {
  const cids: string[] = []
  for await (const { cid } of blockstore.getAll()) cids.push(cid.toString())
  return { cids: cids.sort(), totals: await blockstore.stat() }
}

/** Offsets of each section of a CAR (prefix, CID, data), read with the reference library. */
async function sections (bytes: Uint8Array): Promise<Array<{ offset: number, blockOffset: number, length: number }>> {
  const out = []
  const { CarIndexer } = await import('@ipld/car')
  const indexer = await CarIndexer.fromBytes(bytes)
  for await (const entry of indexer) out.push({ offset: entry.offset, blockOffset: entry.blockOffset, length: entry.blockLength })
  return out
}

describe('CAR import into IndexedDB (Chromium)', () => {
  it('imports every gateway conformance CAR with the roots and blocks @ipld/car reads', async () => {
    for (const path of CONFORMANCE_CARS) {
      const { blockstore, imports } = await fresh()
      const bytes = await fixture(path)
      const reference = await CarReader.fromBytes(bytes)
      const summary = await importCar(chunks(bytes, 4096), { blockstore, imports, lock, name: path })
      expect(summary.roots, path).toEqual((await reference.getRoots()).map(String))
      let count = 0
      for await (const block of reference.blocks()) {
        count++
        expect(await blockstore.getBytes(block.cid), `${path} ${block.cid}`).toEqual(block.bytes)
      }
      expect(summary.blocks, path).toBe(count)
      expect((await imports.list()).map(r => [r.name, r.state]), path).toEqual([[path, 'done']])
    }
  })

  it('reports progress in bytes and blocks', async () => {
    const { blockstore, imports } = await fresh()
    const bytes = await fixture('trustless_gateway_car/single-layer-hamt-with-multi-block-files.car')
    const progress: Array<{ bytesRead: number, blocks: number }> = []
    await importCar(chunks(bytes, 512), { blockstore, imports, lock, name: 'hamt.car', totalBytes: bytes.length, onProgress: p => progress.push(p) })
    expect(progress.at(-1)).toMatchObject({ bytesRead: bytes.length, totalBytes: bytes.length })
    expect(progress.at(-1)?.blocks).toBeGreaterThan(10)
  })

  describe('a corrupted CAR is rejected and leaves the blockstore as it was', () => {
    const corruptions: Array<[string, string, (car: Uint8Array, s: Array<{ offset: number, blockOffset: number, length: number }>) => Uint8Array]> = [
      ['a bit flipped in a block', 'BlockHashMismatchError', (car, s) => { const c = car.slice(); c[s[4].blockOffset + 3] ^= 0x01; return c }],
      ['a truncated section', 'CarTruncatedError', (car, s) => car.slice(0, s[5].blockOffset + 10)],
      ['a section length that is not a minimal varint', 'CarFormatError', (car, s) => { const c = [...car.slice(0, s[3].offset), 0x80, 0x80, 0x00, ...car.slice(s[3].offset + 1)]; return Uint8Array.from(c) }],
      ['an oversized section length', 'CarFormatError', (car, s) => Uint8Array.from([...car.slice(0, s[3].offset), 0xff, 0xff, 0xff, 0x7f, ...car.slice(s[3].offset + 1)])],
      ['a malformed header', 'CarFormatError', car => { const c = car.slice(); c[1] = 0x18; return c }],
      ['an unknown hash function', 'UnsupportedMultihashError', (car, s) => { const c = car.slice(); const cidAt = s[2].offset + 1; c[cidAt + 2] = 0x14; return c }]
    ]
    for (const [what, errorName, corrupt] of corruptions) {
      it(what, async () => {
        const { blockstore, imports } = await fresh()
        const car = await fixture('path_gateway_unixfs/dir-with-files.car')
        // Something stored before, including one block the CAR holds too.
        const reference = await CarReader.fromBytes(car)
        const shared = (await reference.get(CID.parse('bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4')))
        if (shared === undefined) throw new Error('fixture changed')
        await blockstore.put(shared.cid, shared.bytes)
        const own = new TextEncoder().encode('kept')
        await blockstore.put(CID.createV1(0x55, await sha256.digest(own)), own)
        const before = await snapshot(blockstore)
        const bad = corrupt(car, await sections(car))
        const err = await importCar(chunks(bad, 64), { blockstore, imports, lock, name: 'bad.car' }).then(() => undefined, (e: Error) => e)
        expect(err?.name).toBe(errorName)
        // The error says where in the file: a byte offset.
        expect((err as { offset?: unknown } | undefined)?.offset).toBeTypeOf('number')
        expect(await snapshot(blockstore)).toEqual(before)
        expect(await imports.list()).toEqual([])
      })
    }
  })

  it('keeps a block that another write wanted while the failed import ran', async () => {
    const { blockstore, imports } = await fresh()
    const car = await fixture('path_gateway_unixfs/dir-with-files.car')
    const hello = CID.parse('bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4')
    const helloBytes = new TextEncoder().encode('hello world\n')
    async function * thenFail (): AsyncGenerator<Uint8Array> {
      yield car
      // The import has stored the CAR's blocks; now someone else stores one of them, then the source fails.
      await blockstore.put(hello, helloBytes)
      throw new Error('the disk went away')
    }
    await expect(importCar(thenFail(), { blockstore, imports, lock, name: 'x.car' })).rejects.toThrow('the disk went away')
    expect(await blockstore.has(hello)).toBe(true)
    expect((await snapshot(blockstore)).cids).toEqual([hello.toString()])
  })

  it('rolls back an import the browser cut short, at the next start', async () => {
    const { blockstore, imports } = await fresh()
    const car = await fixture('path_gateway_unixfs/dir-with-files.car')
    const reference = await CarReader.fromBytes(car)
    const blocks = []
    for await (const block of reference.blocks()) blocks.push(block)
    // What a Service Worker stopped mid-import leaves: a running record and journaled blocks.
    await imports.save({ id: 'cut', name: 'cut.car', state: 'running', roots: [], blocks: 0, bytes: 0, newBlocks: 0, startedAt: Date.now() })
    await blockstore.putVerifiedForImport(blocks, 'cut')
    expect((await blockstore.stat()).blocks).toBe(blocks.length)
    await recoverImports(blockstore, imports, lock)
    expect(await blockstore.stat()).toEqual({ blocks: 0, bytes: 0 })
    expect(await imports.list()).toEqual([])
  })
})
