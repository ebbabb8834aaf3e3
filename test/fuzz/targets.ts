import * as dagCbor from '@ipld/dag-cbor'
import * as dagJson from '@ipld/dag-json'
import * as dagPb from '@ipld/dag-pb'
import { CarReader } from '@ipld/car/reader'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { identity } from 'multiformats/hashes/identity'
import { sha512 } from 'multiformats/hashes/sha2'
// The hot path's modules directly, so the fuzz runner also works under plain Node.js.
import { blockLinks, dagCborToDagJson, dagJsonToDagCbor, dagPbToDagJson } from '../../src/hotpath/codecs.ts'
import { blake3, sha256 } from '../../src/hotpath/digests.ts'
import { readCar } from '../../src/content/car/car-reader.ts'
import { attempt, attemptAsync, errorName, sameBytes, sameData } from './oracle.ts'
import type { Rng } from './rng.ts'
import { randomCid, randomValue } from './values.ts'

/** One fuzz target: where its inputs come from and what must hold for each. */
export interface FuzzTarget {
  name: string
  /** Valid (and some invalid) inputs that mutation starts from. */
  seeds: (rng: Rng) => Uint8Array[]
  /** A fresh input not derived from a seed (a random valid value, for instance). */
  fresh: (rng: Rng) => Uint8Array
  /** Checks one input; returns a description of what went wrong, or undefined. */
  check: (input: Uint8Array, rng: Rng) => Promise<string | undefined>
}

const utf8 = new TextEncoder()
const text = new TextDecoder()
/** A CID of `code`: link extraction reads the codec from it, never the digest. */
const cidFor = (code: number): CID => CID.createV1(code, identity.digest(new Uint8Array()))

/** Error names each decoder may throw; anything else (a trap, a RangeError) is a finding. */
const ALLOWED = {
  cbor: new Set(['DagCborDecodeError', 'DagJsonEncodeError']),
  json: new Set(['DagJsonParseError']),
  pb: new Set(['DagPbDecodeError']),
  car: new Set(['CarFormatError', 'CarTruncatedError', 'BlockHashMismatchError', 'UnsupportedMultihashError'])
}

function unexpected (what: string, error: unknown, allowed: Set<string>): string | undefined {
  return allowed.has(errorName(error)) ? undefined : `${what} threw ${errorName(error)}: ${(error as Error)?.message}`
}

function linkStrings (value: unknown, out: string[] = []): string[] {
  const cid = CID.asCID(value)
  if (cid !== null) out.push(cid.toString())
  else if (Array.isArray(value)) value.forEach(v => linkStrings(v, out))
  else if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    Object.values(value).forEach(v => linkStrings(v, out))
  }
  return out
}

/** The first random value the reference encoder accepts, encoded. */
function encoded (rng: Rng, encode: (v: unknown) => Uint8Array): Uint8Array {
  for (;;) {
    const result = attempt(() => encode(randomValue(rng)))
    if (result.ok) return result.value
  }
}

/** DAG-CBOR: decode, convert to DAG-JSON, extract links; `@ipld/dag-cbor` is the oracle. */
export function dagCborTarget (fixtures: Uint8Array[]): FuzzTarget {
  const cid = cidFor(dagCbor.code)
  return {
    name: 'dag-cbor',
    seeds: () => fixtures,
    fresh: rng => rng.chance(0.1) ? nestedHeads(rng) : rng.chance(0.2) ? rng.bytes(rng.below(64)) : encoded(rng, v => dagCbor.encode(v)),
    async check (input) {
      const ours = attempt(() => dagCborToDagJson(input))
      const links = attempt(() => blockLinks(cid, input).map(String))
      const ref = attempt(() => dagCbor.decode(input))
      if (!ours.ok) {
        const bad = unexpected('dagCborToDagJson', ours.error, ALLOWED.cbor)
        if (bad !== undefined) return bad
      }
      if (!links.ok) {
        const bad = unexpected('blockLinks', links.error, ALLOWED.cbor)
        if (bad !== undefined) return bad
      }
      const accepted = ours.ok || errorName(ours.error) === 'DagJsonEncodeError'
      if (accepted !== links.ok) return `the decoder ${accepted ? 'accepted' : 'rejected'} what link extraction ${links.ok ? 'accepted' : 'rejected'}`
      if (accepted) {
        if (!ref.ok) return `accepted what @ipld/dag-cbor rejects (${(ref.error as Error).message})`
        if (links.ok && !sameSet(links.value, linkStrings(ref.value))) return 'links differ from @ipld/dag-cbor\'s'
        if (ours.ok) {
          // Canonical form is checked by the round trip: the writer only writes canonical
          // DAG-CBOR (fixture tests), so accepting anything else would change the bytes. The
          // reference cannot judge it alone: JavaScript reads a float such as 0.0 as an integer.
          const back = attempt(() => dagJsonToDagCbor(ours.value))
          if (!back.ok) return `its own DAG-JSON output is refused: ${(back.error as Error).message}`
          if (!sameBytes(back.value, input)) return 'DAG-CBOR → DAG-JSON → DAG-CBOR changed the bytes'
          if (!sameData(dagJson.decode(utf8.encode(ours.value)), ref.value)) return 'read different data than @ipld/dag-cbor'
        }
      } else if (ref.ok) {
        const canonical = attempt(() => dagCbor.encode(ref.value))
        if (canonical.ok && sameBytes(canonical.value, input)) return 'rejected canonical DAG-CBOR that @ipld/dag-cbor reads'
      }
      return undefined
    }
  }
}

/**
 * List or map heads nested in a row, each declaring about as many items as there are bytes
 * left after it: input whose declared sizes, summed over the levels, far exceed its bytes.
 */
function nestedHeads (rng: Rng): Uint8Array {
  const total = 64 + rng.below(rng.chance(0.5) ? 1024 : 32 * 1024)
  const major = rng.pick([0x80, 0xa0])
  const out: number[] = []
  while (out.length + 3 <= total) {
    const left = total - out.length - 3
    const count = Math.max(0, Math.min(0xffff, major === 0xa0 ? left >> 1 : left) - rng.below(3))
    out.push(major | 25, count >> 8, count & 0xff)
  }
  while (out.length < total) out.push(0)
  return Uint8Array.from(out)
}

/** The same links, in any order (JavaScript objects put integer-like keys first). */
function sameSet (a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join() === [...b].sort().join()
}

/** JSON's whitespace (RFC 8259), which may follow the value. */
const TRAILING_WS = /[ \t\n\r]+$/
/** A zero integer part with an exponent (`0e1`, `-0E5`), valid RFC 8259 numbers. */
const ZERO_EXPONENT = /(?<![0-9.])(-?0)([eE])/g

/**
 * `@ipld/dag-json`'s reading of `source`. Its tokenizer (cborg) refuses two forms RFC 8259
 * allows: whitespace after a top-level scalar (`"20 "`) and an exponent on a zero integer
 * part (`0e1`). Those are read in an equivalent spelling (`"20"`, `0.0e1`).
 */
function referenceDagJson (source: string): ReturnType<typeof attempt<unknown>> {
  const read = (s: string): ReturnType<typeof attempt<unknown>> => attempt(() => dagJson.decode(utf8.encode(s)))
  const ref = read(source)
  if (ref.ok) return ref
  const respelled = source.replace(TRAILING_WS, '').replace(ZERO_EXPONENT, '$1.0$2')
  return respelled === source ? ref : read(respelled)
}

/** How `@ipld/dag-json` writes a value, with CIDs made afresh (a parsed CID keeps its input text). */
function referenceDagJsonText (value: unknown): ReturnType<typeof attempt<string>> {
  return attempt(() => text.decode(dagJson.encode(dagCbor.decode(dagCbor.encode(value)))))
}

/** DAG-JSON: parse to DAG-CBOR and write back; `@ipld/dag-json` is the oracle. */
export function dagJsonTarget (fixtures: Uint8Array[]): FuzzTarget {
  return {
    name: 'dag-json',
    seeds: () => fixtures,
    fresh: rng => encoded(rng, v => dagJson.encode(v)),
    async check (input) {
      const source = text.decode(input)
      const ours = attempt(() => dagJsonToDagCbor(source))
      const ref = referenceDagJson(source)
      if (!ours.ok) {
        const bad = unexpected('dagJsonToDagCbor', ours.error, ALLOWED.json)
        if (bad !== undefined) return bad
        if (ref.ok) {
          // Where the project is stricter (links in other multibases, reserved maps judged by
          // key order, floats), the input is not what @ipld/dag-json itself would write.
          const canonical = referenceDagJsonText(ref.value)
          if (canonical.ok && canonical.value === source) return 'rejected canonical DAG-JSON that @ipld/dag-json reads'
        }
        return undefined
      }
      const written = attempt(() => dagCborToDagJson(ours.value))
      if (!written.ok) return `accepted DAG-JSON it cannot write back: ${errorName(written.error)}`
      const again = attempt(() => dagJsonToDagCbor(written.value))
      if (!again.ok || !sameBytes(again.value, ours.value)) return 'its canonical DAG-JSON does not read back to the same block'
      // @ipld/dag-json judges the reserved forms by the text's key order, the spec by key order
      // (bytewise); on the canonical text both orders agree, so that is what it must read.
      const reference = ref.ok ? ref : referenceDagJson(written.value)
      if (!reference.ok) return `accepted what @ipld/dag-json rejects, in canonical form too (${(reference.error as Error).message})`
      if (!sameData(dagCbor.decode(ours.value), reference.value)) return 'read different data than @ipld/dag-json'
      return undefined
    }
  }
}

/** DAG-PB: decode and extract links; `@ipld/dag-pb` is the oracle. */
export function dagPbTarget (fixtures: Uint8Array[]): FuzzTarget {
  const cid = cidFor(dagPb.code)
  return {
    name: 'dag-pb',
    seeds: () => fixtures,
    fresh: rng => encoded(rng, () => {
      const links = Array.from({ length: rng.below(4) }, () => ({
        Hash: randomCid(rng),
        ...(rng.chance(0.7) ? { Name: rng.pick(['', 'a', 'file.txt', 'é']) } : {}),
        ...(rng.chance(0.7) ? { Tsize: rng.below(1 << 20) } : {})
      }))
      const block = dagPb.encode(dagPb.prepare({ Links: links, ...(rng.chance(0.7) ? { Data: rng.bytes(rng.below(16)) } : {}) }))
      return rng.chance(0.3) ? dataFirst(block) : block
    }),
    async check (input) {
      const ours = attempt(() => dagPbToDagJson(input))
      const links = attempt(() => blockLinks(cid, input).map(String))
      const ref = attempt(() => dagPb.decode(input))
      for (const [what, outcome] of [['dagPbToDagJson', ours], ['blockLinks', links]] as const) {
        if (!outcome.ok) {
          const bad = unexpected(what, outcome.error, ALLOWED.pb)
          if (bad !== undefined) return bad
        }
      }
      if (ours.ok !== links.ok) return 'the decoder and link extraction disagree'
      if (ours.ok && links.ok) {
        if (!ref.ok) return `accepted what @ipld/dag-pb rejects (${(ref.error as Error).message})`
        if (!sameData(dagJson.decode(utf8.encode(ours.value)), ref.value)) return 'read different data than @ipld/dag-pb'
        if (links.value.join() !== ref.value.Links.map(l => l.Hash.toString()).join()) return 'links differ from @ipld/dag-pb\'s'
        // No byte-exact round trip here: the spec has decoders accept Data before Links, unsorted
        // Links and (being protobuf) longer varints, none of which an encoder writes.
      } else if (ref.ok && !ref.value.Links.some(l => l.Name?.includes('\ufffd') === true || prefixedV0(l.Hash, input))) {
        // Stricter in two places: a Name must be valid UTF-8 (@ipld/dag-pb replaces invalid
        // bytes with U+FFFD, which changes the name), and a Hash must be a CID as the CID spec
        // and go-cid read it (multiformats also takes a version-0 varint prefix).
        return 'rejected DAG-PB that @ipld/dag-pb reads'
      }
      return undefined
    }
  }
}

/** Whether `cid` (version 0) is not in `block` in its only valid form, the bare 34-byte multihash. */
function prefixedV0 (cid: CID, block: Uint8Array): boolean {
  if (cid.version !== 0) return false
  const field = [0x0a, 0x22, ...cid.multihash.bytes]
  return cid.multihash.code !== 0x12 || !block.some((_, at) => field.every((b, i) => block[at + i] === b))
}

/** The same DAG-PB block with its Data field moved before its Links (a form found in the network). */
function dataFirst (block: Uint8Array): Uint8Array {
  // Encoders write Links first, so the Data field, when present, is the last field.
  let at = 0
  while (at < block.length && block[at] === 0x12) {
    let len = 0
    let shift = 0
    let i = at + 1
    for (; block[i] & 0x80; i++, shift += 7) len += (block[i] & 0x7f) * 2 ** shift
    len += block[i] * 2 ** shift
    at = i + 1 + len
  }
  if (at === 0 || at >= block.length) return block
  return Uint8Array.from([...block.subarray(at), ...block.subarray(0, at)])
}

/** Splits `bytes` into random chunks, as a stream would deliver them. */
function chunked (rng: Rng, bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = []
  for (let at = 0; at < bytes.length;) {
    const len = 1 + rng.below(Math.max(1, bytes.length >> rng.below(6)))
    out.push(bytes.subarray(at, at + len))
    at += len
  }
  return out
}

interface CarOutcome { roots: string[], blocks: Array<{ cid: string, bytes: Uint8Array }> }

async function readAll (chunks: Uint8Array[]): Promise<CarOutcome> {
  const out: CarOutcome = { roots: [], blocks: [] }
  for await (const event of readCar(chunks)) {
    if (event.type === 'header') out.roots = event.header.roots.map(String)
    else out.blocks.push(...event.blocks.map(b => ({ cid: b.cid.toString(), bytes: b.bytes })))
  }
  return out
}

/** Whether `bytes` hash to the digest in `cid`, computed here independently of the reader. */
async function verifies (cid: CID, bytes: Uint8Array): Promise<boolean> {
  const { code, digest } = cid.multihash
  if (code === 0x12) return sameBytes(sha256(bytes), digest)
  if (code === 0x1e) return sameBytes(blake3(bytes), digest)
  if (code === 0x13) return sameBytes((await sha512.digest(bytes)).digest, digest)
  if (code === 0x00) return sameBytes(bytes, digest)
  return false
}

/**
 * A random CAR of a few raw and dag-cbor blocks: usually valid, sometimes with a section CID
 * whose codec varint is over-long, sometimes wrapped in a CARv2 header.
 */
export function randomCar (rng: Rng): Uint8Array {
  const blocks = Array.from({ length: rng.below(5) }, () => {
    const bytes = rng.chance(0.5) ? rng.bytes(rng.below(100)) : encoded(rng, v => dagCbor.encode(v))
    const code = rng.chance(0.5) ? 0x55 : dagCbor.code
    const digest = rng.chance(0.8) ? Digest.create(0x12, sha256(bytes)) : Digest.create(0x1e, blake3(bytes))
    const cid = CID.createV1(code, digest)
    return { cid, cidBytes: rng.chance(0.1) ? withWideCodec(rng, cid) : cid.bytes, bytes }
  })
  const parts: number[] = []
  const varint = (n: number): void => { while (n >= 0x80) { parts.push((n & 0x7f) | 0x80); n >>>= 7 } parts.push(n) }
  const header = dagCbor.encode({ roots: blocks.slice(0, 1 + rng.below(2)).map(b => b.cid), version: 1 })
  varint(header.length)
  parts.push(...header)
  for (const { cidBytes, bytes } of blocks) {
    varint(cidBytes.length + bytes.length)
    parts.push(...cidBytes, ...bytes)
  }
  const v1 = Uint8Array.from(parts)
  return rng.chance(0.3) ? wrapV2(rng, v1) : v1
}

/** A CID's bytes with its codec written as a long varint (9 or 10 bytes, top bits set). */
function withWideCodec (rng: Rng, cid: CID): Uint8Array {
  const wide = [cid.code & 0x7f | 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80]
  wide.push(...(rng.chance(0.5) ? [0x01] : [0x80, 0x01]))
  return Uint8Array.from([0x01, ...wide, ...cid.multihash.bytes])
}

/** A CARv2 around `v1`: usually with the right data size, sometimes with a wrong one or a stray index offset. */
function wrapV2 (rng: Rng, v1: Uint8Array): Uint8Array {
  const pragma = [0x0a, 0xa1, 0x67, 0x76, 0x65, 0x72, 0x73, 0x69, 0x6f, 0x6e, 0x02]
  const header = new DataView(new ArrayBuffer(40))
  const dataOffset = 51 + rng.below(3)
  const size = rng.chance(0.6) ? v1.length : rng.below(v1.length + 8)
  header.setBigUint64(16, BigInt(dataOffset), true)
  header.setBigUint64(24, BigInt(size), true)
  header.setBigUint64(32, BigInt(rng.chance(0.7) ? 0 : rng.below(dataOffset + v1.length + 8)), true)
  return Uint8Array.from([...pragma, ...new Uint8Array(header.buffer), ...new Uint8Array(dataOffset - 51), ...v1])
}

/**
 * CAR reading: any chunking gives the same outcome; every block it yields verifies against
 * its CID; what it accepts agrees with `@ipld/car`; it fails only with the CAR errors.
 */
export function carTarget (fixtures: Uint8Array[]): FuzzTarget {
  return {
    name: 'car',
    seeds: () => fixtures,
    fresh: randomCar,
    async check (input, rng) {
      const whole = await attemptAsync(async () => readAll([input]))
      const pieces = await attemptAsync(async () => readAll(chunked(rng, input)))
      for (const outcome of [whole, pieces]) {
        if (!outcome.ok) {
          const bad = unexpected('readCar', outcome.error, ALLOWED.car)
          if (bad !== undefined) return bad
        }
      }
      if (whole.ok !== pieces.ok) return 'the outcome depends on how the file is chunked'
      if (!whole.ok || !pieces.ok) return undefined
      if (whole.value.blocks.length !== pieces.value.blocks.length) return 'chunking changed the blocks read'
      for (const { cid, bytes } of whole.value.blocks) {
        const parsed = attempt(() => CID.parse(cid))
        if (!parsed.ok) return `yielded block ${cid} whose CID multiformats cannot read (${(parsed.error as Error).message})`
        if (!await verifies(parsed.value, bytes)) return `yielded block ${cid} whose bytes do not match its CID`
      }
      const ref = await attemptAsync(async () => {
        const reader = await CarReader.fromBytes(input)
        const blocks: Array<{ cid: string, bytes: Uint8Array }> = []
        for await (const block of reader.blocks()) blocks.push({ cid: block.cid.toString(), bytes: block.bytes })
        return { roots: (await reader.getRoots()).map(String), blocks }
      })
      if (!ref.ok) return `accepted a CAR @ipld/car rejects (${(ref.error as Error).message})`
      if (ref.value.roots.join() !== whole.value.roots.join()) return 'roots differ from @ipld/car\'s'
      if (ref.value.blocks.length !== whole.value.blocks.length ||
        ref.value.blocks.some((b, i) => b.cid !== whole.value.blocks[i].cid || !sameBytes(b.bytes, whole.value.blocks[i].bytes))) {
        return 'blocks differ from @ipld/car\'s'
      }
      return undefined
    }
  }
}
