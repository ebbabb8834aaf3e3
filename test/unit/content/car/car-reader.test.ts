import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CarReader } from '@ipld/car'
import type { CarHeaderInfo } from '../../../../src/hotpath/index.ts'
import type { VerifiedBlock } from '../../../../src/content/car/car-reader.ts'
import { readCar } from '../../../../src/content/car/car-reader.ts'
import { fixturesDir } from '../../../support/fixtures.ts'

/** Feeds `bytes` to the reader in chunks of `size`. */
async function * chunked (bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size)
}

async function readAll (bytes: Uint8Array, chunk = 7): Promise<{ header: CarHeaderInfo, blocks: VerifiedBlock[] }> {
  let header: CarHeaderInfo | undefined
  const blocks: VerifiedBlock[] = []
  for await (const event of readCar(chunked(bytes, chunk))) {
    if (event.type === 'header') header = event.header
    else blocks.push(...event.blocks)
  }
  if (header === undefined) throw new Error('no header')
  return { header, blocks }
}

interface SpecFixture {
  header: { roots: Array<{ '/': string }>, version: number, dataOffset?: number, dataSize?: number }
  blocks: Array<{ cid: { '/': string }, offset: number, length: number, blockOffset: number, blockLength: number }>
}

describe('CAR spec fixtures', () => {
  for (const name of ['carv1-basic', 'carv2-basic']) {
    const dir = join(fixturesDir, 'car-spec', 'car', 'fixture', name)
    const car = new Uint8Array(readFileSync(join(dir, `${name}.car`)))
    const expected = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as SpecFixture
    for (const chunk of [1, 7, 4096]) {
      it(`${name} parses to the documented header, blocks and offsets (chunks of ${chunk} bytes)`, async () => {
        const { header, blocks } = await readAll(car, chunk)
        expect(header.version).toBe(expected.header.version)
        expect(header.roots.map(String)).toEqual(expected.header.roots.map(r => r['/']))
        if (expected.header.dataOffset !== undefined) {
          expect(header.sectionsEnd).toBe(expected.header.dataOffset + (expected.header.dataSize ?? 0))
        }
        expect(blocks.map(b => ({
          cid: b.cid.toString(),
          offset: b.offset,
          blockOffset: b.blockOffset,
          blockLength: b.bytes.length,
          length: b.blockOffset + b.bytes.length - b.offset
        }))).toEqual(expected.blocks.map(b => ({
          cid: b.cid['/'],
          offset: b.offset,
          blockOffset: b.blockOffset,
          blockLength: b.blockLength,
          length: b.length
        })))
      })
    }
  }
})

describe('CAR reader against @ipld/car on the gateway conformance CARs', () => {
  it('reads the same roots and blocks', async () => {
    const dir = join(fixturesDir, 'gateway-conformance', 'fixtures')
    const cars = ['gateway-raw-block.car', 'path_gateway_unixfs/dir-with-files.car', 'trustless_gateway_car/single-layer-hamt-with-multi-block-files.car', 'path_gateway_dag/dag-cbor-traversal.car']
    for (const file of cars) {
      const bytes = new Uint8Array(readFileSync(join(dir, file)))
      const reference = await CarReader.fromBytes(bytes)
      const { header, blocks } = await readAll(bytes, 1000)
      expect(header.roots.map(String), file).toEqual((await reference.getRoots()).map(String))
      const expected = []
      for await (const block of reference.blocks()) expected.push({ cid: block.cid.toString(), bytes: block.bytes })
      expect(blocks.map(b => ({ cid: b.cid.toString(), bytes: b.bytes })), file).toEqual(expected)
    }
  })
})

describe('CAR reader memory', () => {
  it('yields verified blocks while most of a large file is still unread', async () => {
    const { sha256 } = await import('multiformats/hashes/sha2')
    const { CID } = await import('multiformats/cid')
    const { carHeaderBytes, carSectionBytes } = await import('../../../../src/gateway/car-stream.ts')
    const blockSize = 1024 * 1024
    const count = 40
    let pulled = 0
    async function * source (): AsyncGenerator<Uint8Array> {
      const first = new Uint8Array(blockSize).fill(1)
      yield carHeaderBytes([CID.createV1(0x55, await sha256.digest(first))])
      for (let i = 0; i < count; i++) {
        const bytes = new Uint8Array(blockSize).fill(i + 1)
        const section = carSectionBytes({ cid: CID.createV1(0x55, await sha256.digest(bytes)), bytes })
        for (let at = 0; at < section.length; at += 65536) {
          const chunk = section.subarray(at, at + 65536)
          pulled += chunk.length
          yield chunk
        }
      }
    }
    let pulledAtFirstBatch: number | undefined
    let blocks = 0
    for await (const event of readCar(source())) {
      if (event.type !== 'blocks') continue
      pulledAtFirstBatch ??= pulled
      blocks += event.blocks.length
    }
    expect(blocks).toBe(count)
    // The reader parses once a few MiB are buffered: the first batch comes long before the end.
    expect(pulledAtFirstBatch).toBeLessThan(8 * blockSize)
  })
})
