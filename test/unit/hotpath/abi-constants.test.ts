import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  CarFormatError, CarTruncatedError, DagCborDecodeError, DagJsonEncodeError, DagJsonParseError,
  DagPbDecodeError, errorForCode, InvalidArgumentError, UnixfsInputError
} from '../../../src/hotpath/index.ts'
import { CODECS } from '../../../src/lib/multicodec.ts'

/** The Rust `ErrorKind` each TypeScript error class stands for: both sides of the ABI, pinned. */
const PAIRS = {
  CborDecode: DagCborDecodeError,
  JsonParse: DagJsonParseError,
  PbDecode: DagPbDecodeError,
  InvalidArgument: InvalidArgumentError,
  CarFormat: CarFormatError,
  CarTruncated: CarTruncatedError,
  JsonEncode: DagJsonEncodeError,
  UnixfsInput: UnixfsInputError
}

const crate = (file: string): string => readFileSync(new URL(`../../../wasm/src/${file}`, import.meta.url), 'utf8')

/** `Name = code` pairs of the `ErrorKind` enum in the crate. */
function rustErrorKinds (): Map<string, number> {
  const source = crate('error.rs')
  const body = source.slice(source.indexOf('pub enum ErrorKind'), source.indexOf('}', source.indexOf('pub enum ErrorKind')))
  return new Map([...body.matchAll(/^\s*(\w+) = (\d+),/gm)].map(m => [m[1], Number(m[2])]))
}

describe('error codes across the WASM ABI', () => {
  const kinds = rustErrorKinds()

  it('every Rust error kind has its TypeScript class, with the same code', () => {
    expect([...kinds.keys()].sort()).toEqual(Object.keys(PAIRS).sort())
    for (const [kind, ErrorClass] of Object.entries(PAIRS)) {
      expect(ErrorClass.code, kind).toBe(kinds.get(kind))
      expect(errorForCode(ErrorClass.code, 'message', 3)).toBeInstanceOf(ErrorClass)
    }
  })

  it('an unknown code still becomes a named error', () => {
    expect(errorForCode(999, 'what', undefined).name).toBe('HotpathError')
  })
})

describe('codec codes across the WASM ABI', () => {
  it('the crate reads links of the codecs with the codes of the one multicodec table', () => {
    const constants = new Map([...crate('lib.rs').matchAll(/pub const CODEC_(\w+): u32 = (0x[0-9a-f]+);/g)]
      .map(m => [m[1].toLowerCase().replace('_', '-'), Number(m[2])]))
    expect(Object.fromEntries(constants)).toEqual({
      raw: CODECS.raw, 'dag-pb': CODECS['dag-pb'], 'dag-cbor': CODECS['dag-cbor'], 'dag-json': CODECS['dag-json']
    })
  })
})
