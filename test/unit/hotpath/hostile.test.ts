import { describe, expect, it } from 'vitest'
import * as dagCbor from '@ipld/dag-cbor'
import * as dagJson from '@ipld/dag-json'
import * as dagPb from '@ipld/dag-pb'
import { CID } from 'multiformats/cid'
import { identity } from 'multiformats/hashes/identity'
import { sha256 as referenceSha256 } from 'multiformats/hashes/sha2'
import {
  blockLinks, dagCborToDagJson, dagCborToDiagnostic, dagJsonToDagCbor, dagPbToDagJson, memoryBytes, MEMORY_RENEW_BYTES
} from '../../../src/hotpath/index.ts'
import { readCar } from '../../../src/content/car/car-reader.ts'
import { parseIpfsPath } from '../../../src/content/dag/ipfs-path.ts'
import { resolvePath } from '../../../src/content/dag/resolve-path.ts'
import { fromHex } from '../../support/fixtures.ts'

/**
 * Inputs a stranger can send, one per class that fuzzing found (the reproducers of the
 * hardening issue), each checked through the TypeScript face of the module.
 */

const named = (name: string): unknown => expect.objectContaining({ name })

/** Nested array heads, each declaring the items left after it (`99 01 fd 99 01 fa …`). */
function nestedArrayHeads (total: number): Uint8Array {
  const out = new Uint8Array(total)
  for (let at = 0; at + 3 <= total; at += 3) {
    const left = Math.min(0xffff, total - at - 3)
    out.set([0x99, left >> 8, left & 0xff], at)
  }
  return out
}

async function readAll (bytes: Uint8Array): Promise<number> {
  let blocks = 0
  for await (const event of readCar([bytes])) if (event.type === 'blocks') blocks += event.blocks.length
  return blocks
}

const rawCid = (bytes: Uint8Array): CID => CID.createV1(0x55, identity.digest(bytes.subarray(0, 0)))

describe('1. declared lengths cannot reserve memory', () => {
  it('nested heads of 512 B, 16 KiB and 1 MiB are refused without growing module memory', () => {
    expect(Array.from(nestedArrayHeads(512).subarray(0, 6))).toEqual([0x99, 0x01, 0xfd, 0x99, 0x01, 0xfa])
    for (const size of [512, 16 << 10, 1 << 20]) {
      const input = nestedArrayHeads(size)
      expect(() => dagCborToDagJson(input)).toThrow(named('DagCborDecodeError'))
      expect(() => blockLinks(CID.createV1(dagCbor.code, identity.digest(new Uint8Array())), input)).toThrow(named('DagCborDecodeError'))
    }
    // Before: 1.2 MiB for 512 bytes, 183 MiB for 16 KiB, a trap at 1 MiB. Now: the inputs themselves.
    expect(memoryBytes()).toBeLessThan(8 * 1024 * 1024)
  })

  it('the same heads inside a CAR header are a CarFormatError', async () => {
    const car = Uint8Array.from([0x80, 0x04, ...nestedArrayHeads(512)])
    await expect(readAll(car)).rejects.toThrow(named('CarFormatError'))
  })
})

describe('2. a module grown past 2 GiB keeps working', () => {
  it('a result placed past 2 GiB is read, and the next call gets a fresh small module', () => {
    // Almost 2 GiB of input (one allocation can hold no more): the error message the call
    // leaves is placed after it, past 2 GiB. Before, reading it threw an untyped RangeError,
    // and so did every later call.
    const huge = new Uint8Array(2 ** 31 - 256 * 1024)
    expect(() => dagCborToDagJson(huge)).toThrow(named('DagCborDecodeError'))
    expect(memoryBytes()).toBeGreaterThan(2 ** 31)
    expect(dagCborToDagJson(fromHex('a1616101'))).toBe('{"a":1}')
    expect(memoryBytes()).toBeLessThan(MEMORY_RENEW_BYTES)
  }, 60_000)

  it('an input the module cannot address is refused by name', () => {
    // Nearly 4 GiB: more than a 32-bit module can hold next to its own data.
    const tooBig = new Uint8Array(2 ** 32 - 4096)
    expect(() => blockLinks(rawCid(tooBig), tooBig)).toThrow(named('InvalidArgumentError'))
    expect(dagCborToDagJson(fromHex('a1616101'))).toBe('{"a":1}')
  }, 60_000)
})

describe('3. CIDs with over-long varints', () => {
  const car = fromHex(
    '11a265726f6f7473806776657273696f6e01' + '32' + '01d5808080808080808001' + '1220' +
    '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824' + '68656c6c6f')

  it('a ten-byte codec varint in a CAR section is a CarFormatError', async () => {
    await expect(readAll(car)).rejects.toThrow(named('CarFormatError'))
  })

  it('the same CID is refused in DAG-CBOR and DAG-PB links', () => {
    const cid = fromHex('01d5808080808080808001' + '1200')
    const cbor = Uint8Array.from([0xd8, 0x2a, 0x40 + cid.length + 1, 0x00, ...cid])
    expect(() => dagCborToDagJson(cbor)).toThrow(named('DagCborDecodeError'))
    const pb = Uint8Array.from([0x12, cid.length + 2, 0x0a, cid.length, ...cid])
    expect(() => dagPbToDagJson(pb)).toThrow(named('DagPbDecodeError'))
  })
})

describe('4. CARv2 offsets and sizes are checked', () => {
  /** A CARv2 around `{"roots":[],"version":1}` (18 bytes with its prefix). */
  function carv2 (dataSize: number, indexOffset = 0): Uint8Array {
    const header = new DataView(new ArrayBuffer(40))
    header.setBigUint64(16, 51n, true)
    header.setBigUint64(24, BigInt(dataSize), true)
    header.setBigUint64(32, BigInt(indexOffset), true)
    return Uint8Array.from([...fromHex('0aa16776657273696f6e02'), ...new Uint8Array(header.buffer), ...fromHex('11a265726f6f7473806776657273696f6e01')])
  }

  it('reads a well-formed one', async () => {
    expect(await readAll(carv2(18))).toBe(0)
  })

  it('refuses a data size that ends inside or before the inner header', async () => {
    for (const size of [0, 1, 17]) await expect(readAll(carv2(size))).rejects.toThrow(named('CarFormatError'))
  })

  it('refuses an index offset inside the data payload', async () => {
    await expect(readAll(carv2(18, 60))).rejects.toThrow(named('CarFormatError'))
  })
})

describe('5. data DAG-JSON reserves is not written as DAG-JSON', () => {
  it('refuses {"/": "\\u0000"} and {"/": "bafkqaaa"} (a string that would come back as a link)', () => {
    for (const hex of ['a1612f6100', 'a1612f686261666b71616161']) {
      expect(() => dagCborToDagJson(fromHex(hex))).toThrow(named('DagJsonEncodeError'))
    }
    expect(dagCborToDiagnostic(fromHex('a1612f686261666b71616161'))).toBe('{"/": "bafkqaaa"}')
  })

  it('the explorer shows such a block in CBOR diagnostic notation, with its links', async () => {
    const target = dagCbor.encode({ hello: 'world' })
    const targetCid = CID.createV1(dagCbor.code, await referenceSha256.digest(target))
    const block = dagCbor.encode({ '/': 'not a link', x: targetCid })
    const cid = CID.createV1(dagCbor.code, await referenceSha256.digest(block))
    const blocks = new Map<string, Uint8Array>([[cid.toString(), block], [targetCid.toString(), target]])
    const node = await resolvePath(parseIpfsPath(`/ipfs/${cid}`), async c => blocks.get(c.toString()) as Uint8Array)
    expect(node.json).toBeUndefined()
    expect(node.diagnostic).toBe(`{"/": "not a link", "x": 42(h'00${Buffer.from(targetCid.bytes).toString('hex')}')}`)
    expect(node.links).toEqual([{ path: '', cid: targetCid.toString() }])
  })
})

describe('6. valid forms near the reserved namespace are read, as the spec and @ipld/dag-json read them', () => {
  for (const text of ['{"/":{"a":1,"bytes":""}}', '{"":1,"/":""}', '{"/":{"\\u0000":0,"bytes":"\\u0000"}}']) {
    it(text, () => {
      const ours = dagJsonToDagCbor(text)
      expect(Array.from(ours)).toEqual(Array.from(dagCbor.encode(dagJson.parse(text))))
      expect(dagCborToDagJson(ours)).toBe(text)
    })
  }

  it('the DAG-JSON of a1612fa26100006562797465736100 reads back to the same bytes', () => {
    const cbor = fromHex('a1612fa26100006562797465736100')
    expect(Array.from(dagJsonToDagCbor(dagCborToDagJson(cbor)))).toEqual(Array.from(cbor))
  })
})

describe('7. links only in the spec forms (base32 CIDv1, base58btc CIDv0)', () => {
  const cid = CID.parse('bafyreihdb57fdysx5h35urvxz64ros7zvywshber7id6t6c6fek37jgyfe')
  const v0 = CID.parse('QmQg1v4o9xdT3Q14wh4S7dxZkDjyZ9ssFzFzyep1YrVJBY')

  it('accepts the spec forms', () => {
    expect(() => dagJsonToDagCbor(`{"/":"${cid}"}`)).not.toThrow()
    expect(() => dagJsonToDagCbor(`{"/":"${v0}"}`)).not.toThrow()
  })

  for (const text of [
    cid.toString().toUpperCase(), 'zdpuB1hnjR3a9tddQXkimByhqg1Ua6A9ARVUtbtYqPrtFgYHN',
    'k2jvslb1smm8a79y4lbqya79rvwzy5sfy016d3i8phxvbfftmzplkz6x', 'f01711220e30f7e51e257e9f7da46b7cfb9174bf9ae2d238491fa07e9f85e2915bfa4d829',
    'F01711220E30F7E51E257E9F7DA46B7CFB9174BF9AE2D238491FA07E9F85E2915BFA4D829', 'mAXESIOMPflHiV+n32ka3z7kXS/muLSOEkfoH6fheKRW/pNgp',
    'uAXESIOMPflHiV-n32ka3z7kXS_muLSOEkfoH6fheKRW_pNgp', 'bciqcfllddru65gbqsw23rlgqfh7zjl7r3rwera3ypbmjvevzbx7kgfy'
  ]) {
    it(`refuses ${text.slice(0, 12)}…`, () => {
      expect(() => dagJsonToDagCbor(`{"/":"${text}"}`)).toThrow(named('DagJsonParseError'))
    })
  }
})

describe('8. DAG-PB with Data before Links', () => {
  it('is read as @ipld/dag-pb reads it', () => {
    const block = Uint8Array.from([...fromHex('0a0012260a2401000020'), ...new Uint8Array(32)])
    const reference = dagPb.decode(block)
    expect(blockLinks(CID.createV1(dagPb.code, identity.digest(new Uint8Array())), block).map(String)).toEqual(reference.Links.map(l => l.Hash.toString()))
    expect(dagJson.parse(dagPbToDagJson(block))).toEqual(dagJson.parse(new TextDecoder().decode(dagJson.encode(reference))))
  })
})
