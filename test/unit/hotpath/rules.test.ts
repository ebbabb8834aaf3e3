import { describe, expect, it } from 'vitest'
import { CID } from 'multiformats/cid'
import { blake3 as referenceBlake3 } from 'hash-wasm'
import { blake3, blake3Many, blockLinks, dagCborToDagJson, dagJsonToDagCbor, sha256, sha256Many } from '../../../src/hotpath/index.ts'
import { fromHex } from '../../support/fixtures.ts'
import { createHash } from 'node:crypto'

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

/** One DAG-CBOR strictness rule per entry, with an input that breaks only that rule. */
const cborRules: Array<[rule: string, hex: string]> = [
  ['integers use the shortest head (1 byte)', '1817'],
  ['integers use the shortest head (2 bytes)', '190017'],
  ['lengths use the shortest head', '780161'],
  ['map keys are sorted length-first', 'a2626161016162'],
  ['map keys are sorted bytewise within a length', 'a2616201616102'],
  ['map keys are unique', 'a2616101616102'],
  ['map keys are strings', 'a10102'],
  ['only tag 42', 'c11a514b67b0'],
  ['tag 42 holds bytes starting with 0x00', 'd82a45017155000a'],
  ['tag 42 holds a valid CID', 'd82a4400017155'],
  ['only 64-bit floats (no float16)', 'f93c00'],
  ['only 64-bit floats (no float32)', 'fa3f800000'],
  ['no NaN', 'fb7ff8000000000000'],
  ['no Infinity', 'fb7ff0000000000000'],
  ['no -Infinity', 'fbfff0000000000000'],
  ['no undefined', 'f7'],
  ['no other simple values', 'f0'],
  ['no indefinite-length lists', '9f01ff'],
  ['no indefinite-length strings', '7f6161ff'],
  ['strings are UTF-8', '62c328'],
  ['one item, no trailing bytes', '0101'],
  ['no truncated items', '1a0001']
]

/** One DAG-JSON rule per entry, with text that breaks it. */
const jsonRules: Array<[rule: string, text: string, offset: number]> = [
  ['integers stay within 2^64−1', '18446744073709551616', 0],
  ['integers stay at or above −2^64', '-18446744073709551617', 0],
  ['no NaN', 'NaN', 0],
  ['no Infinity', '[Infinity]', 1],
  ['floats fit in 64 bits', '1e400', 0],
  ['no trailing commas', '[1,]', 3],
  ['no duplicate keys', '{"a":1,"a":2}', 7],
  ['no leading zeros', '01', 0],
  ['digits after the decimal point', '1.', 2],
  ['double-quoted strings', "'a'", 0],
  ['no lone surrogates', '"\\ud800"', 1],
  ['links hold valid CIDs', '{"/":"not a cid"}', 0],
  ['links have no sibling keys', '{"/":"bafkqaaa","x":1}', 0],
  ['bytes are valid base64', '{"/":{"bytes":"!!"}}', 0],
  ['bytes forms have no extra keys', '{"/":{"bytes":"AQ","x":1}}', 0],
  ['one value only', '[1] [2]', 4],
  ['something to parse', '   ', 3]
]

describe('DAG-CBOR strictness, one rule at a time', () => {
  for (const [rule, hex] of cborRules) {
    it(rule, () => {
      expect(() => dagCborToDagJson(fromHex(hex))).toThrow(expect.objectContaining({ name: 'DagCborDecodeError' }))
      expect(() => blockLinks(CID.parse('bafyreihdb57fdysx5h35urvxz64ros7zvywshber7id6t6c6fek37jgyfe'), fromHex(hex)))
        .toThrow(expect.objectContaining({ name: 'DagCborDecodeError' }))
    })
  }
})

describe('DAG-JSON strictness, one rule at a time', () => {
  for (const [rule, text, offset] of jsonRules) {
    it(`${rule} (error at byte ${offset})`, () => {
      expect(() => dagJsonToDagCbor(text)).toThrow(expect.objectContaining({ name: 'DagJsonParseError', offset }))
    })
  }

  it('keeps the full integer range exactly', () => {
    expect(toHex(dagJsonToDagCbor('18446744073709551615'))).toBe('1bffffffffffffffff')
    expect(toHex(dagJsonToDagCbor('-18446744073709551616'))).toBe('3bffffffffffffffff')
    expect(dagCborToDagJson(fromHex('1bffffffffffffffff'))).toBe('18446744073709551615')
  })

  it('writes floats as 64-bit and reads them back as floats', () => {
    expect(toHex(dagJsonToDagCbor('1.0'))).toBe('fb3ff0000000000000')
    expect(dagCborToDagJson(fromHex('fb3ff0000000000000'))).toBe('1.0')
  })

  it('sorts keys canonically whatever the input order', () => {
    expect(dagCborToDagJson(dagJsonToDagCbor('{"bb":1,"c":2,"a":3}'))).toBe('{"a":3,"bb":1,"c":2}')
    expect(toHex(dagJsonToDagCbor('{"bb":1,"c":2,"a":3}'))).toBe('a3616103616302626262' + '01')
  })
})

describe('digests against references', () => {
  const inputs = [0, 1, 63, 64, 65, 1024, 65_536, 1_048_576].map(n => Uint8Array.from({ length: n }, (_, i) => (i * 7 + n) & 0xff))

  it('sha256 matches node:crypto', () => {
    for (const input of inputs) expect(toHex(sha256(input))).toBe(createHash('sha256').update(input).digest('hex'))
  })

  it('blake3 matches hash-wasm', async () => {
    for (const input of inputs) expect(toHex(blake3(input))).toBe(await referenceBlake3(input))
  })

  it('batched digests equal single digests', () => {
    expect(sha256Many(inputs).map(toHex)).toEqual(inputs.map(i => toHex(sha256(i))))
    expect(blake3Many(inputs).map(toHex)).toEqual(inputs.map(i => toHex(blake3(i))))
    expect(sha256Many([])).toEqual([])
  })
})
