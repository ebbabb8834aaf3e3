import { describe, expect, it } from 'vitest'
import * as dagCbor from '@ipld/dag-cbor'
import * as dagJson from '@ipld/dag-json'
import * as dagPb from '@ipld/dag-pb'
import { CID } from 'multiformats/cid'
import { sha256 as referenceSha256 } from 'multiformats/hashes/sha2'
import { blockLinks, dagCborToDagJson, dagJsonToDagCbor, dagPbToDagJson, sha256Hasher, SUBTLE_SHA256_THRESHOLD } from '../../../src/hotpath/index.ts'
import { codecFixtures, fromHex, negativeFixtures } from '../../support/fixtures.ts'

const text = new TextDecoder()
const utf8 = new TextEncoder()
const fixtures = codecFixtures()

/** All CIDs in a decoded JS value, depth first, in map-key order as stored. */
function referenceLinks (value: unknown, out: CID[] = []): CID[] {
  const cid = CID.asCID(value)
  if (cid !== null) out.push(cid)
  else if (Array.isArray(value)) value.forEach(v => referenceLinks(v, out))
  else if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    Object.values(value).forEach(v => referenceLinks(v, out))
  }
  return out
}

async function cidOf (code: number, bytes: Uint8Array): Promise<string> {
  return CID.createV1(code, await sha256Hasher.digest(bytes)).toString()
}

describe('codec fixtures (ipld/codec-fixtures)', () => {
  it('has the fixture set', () => {
    expect(fixtures.size).toBeGreaterThan(100)
  })

  for (const [name, forms] of fixtures) {
    const cbor = forms.find(f => f.codec === 'dag-cbor')
    const json = forms.find(f => f.codec === 'dag-json')
    const pb = forms.find(f => f.codec === 'dag-pb')

    describe(name, () => {
      if (cbor !== undefined) {
        it('dag-cbor → dag-cbor is byte-identical and keeps its CID', async () => {
          const again = dagJsonToDagCbor(dagCborToDagJson(cbor.bytes))
          expect(again).toEqual(cbor.bytes)
          expect(await cidOf(dagCbor.code, again)).toBe(cbor.cid)
        })
        it('dag-cbor links match the reference decoder', () => {
          const expected = referenceLinks(dagCbor.decode(cbor.bytes)).map(String)
          expect(blockLinks(CID.parse(cbor.cid), cbor.bytes).map(String)).toEqual(expected)
        })
      }
      if (json !== undefined) {
        it('dag-json → dag-json is byte-identical and keeps its CID', async () => {
          const again = utf8.encode(dagCborToDagJson(dagJsonToDagCbor(text.decode(json.bytes))))
          expect(again).toEqual(json.bytes)
          expect(await cidOf(dagJson.code, again)).toBe(json.cid)
        })
      }
      if (cbor !== undefined && json !== undefined) {
        it('dag-json ↔ dag-cbor give the other form exactly', () => {
          expect(dagJsonToDagCbor(text.decode(json.bytes))).toEqual(cbor.bytes)
          expect(dagCborToDagJson(cbor.bytes)).toBe(text.decode(json.bytes))
        })
      }
      if (pb !== undefined) {
        it('dag-pb decodes to the data-model form the other codecs hold', async () => {
          const asJson = dagPbToDagJson(pb.bytes)
          if (json !== undefined) expect(asJson).toBe(text.decode(json.bytes))
          if (cbor !== undefined) expect(dagJsonToDagCbor(asJson)).toEqual(cbor.bytes)
          expect(asJson).toBe(text.decode(dagJson.encode(dagPb.decode(pb.bytes))))
          expect(await cidOf(dagPb.code, pb.bytes)).toBe(pb.cid)
        })
        it('dag-pb links match the reference decoder', () => {
          const expected = dagPb.decode(pb.bytes).Links.map(l => l.Hash.toString())
          expect(blockLinks(CID.parse(pb.cid), pb.bytes).map(String)).toEqual(expected)
        })
      }
    })
  }
})

describe('negative fixtures', () => {
  for (const f of negativeFixtures('dag-cbor', 'decode')) {
    it(`dag-cbor rejects: ${f.name}`, () => {
      expect(() => dagCborToDagJson(fromHex(f.hex ?? ''))).toThrow(expect.objectContaining({ name: 'DagCborDecodeError' }))
    })
  }
  for (const f of negativeFixtures('dag-json', 'decode')) {
    it(`dag-json rejects: ${f.name}`, () => {
      expect(() => dagJsonToDagCbor(text.decode(fromHex(f.hex ?? '')))).toThrow(expect.objectContaining({ name: 'DagJsonParseError' }))
    })
  }
  for (const f of negativeFixtures('dag-pb', 'decode')) {
    it(`dag-pb rejects: ${f.name}`, () => {
      expect(() => dagPbToDagJson(fromHex(f.hex ?? ''))).toThrow(expect.objectContaining({ name: 'DagPbDecodeError' }))
    })
  }
})

describe('hashing against references', () => {
  it('sha2-256 hasher matches multiformats for sizes across the subtle threshold', async () => {
    for (const size of [0, 1, 55, 56, 64, 1000, SUBTLE_SHA256_THRESHOLD - 1, SUBTLE_SHA256_THRESHOLD, 300_000]) {
      const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 31 + size) & 0xff)
      expect((await sha256Hasher.digest(bytes)).bytes).toEqual((await referenceSha256.digest(bytes)).bytes)
    }
  })
})
