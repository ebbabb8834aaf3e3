import { describe, expect, it } from 'vitest'
import * as dagCbor from '@ipld/dag-cbor'
import * as dagJson from '@ipld/dag-json'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { blockLinks, dagCborToDagJson, dagJsonToDagCbor } from '../../../src/hotpath/index.ts'

/** A small deterministic PRNG (mulberry32) so failures can be replayed by seed. */
function rng (seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const someCid = CID.createV1(0x71, await sha256.digest(new Uint8Array([1, 2, 3])))
const someV0 = CID.createV0(await sha256.digest(new Uint8Array([4])))

function randomString (r: () => number): string {
  const alphabet = ['a', 'b', 'Z', ' ', '"', '\\', '\n', '\u0001', 'é', '€', '😀', '/', '\u2028']
  return Array.from({ length: Math.floor(r() * 8) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('')
}

/** A random data-model value that both reference codecs can represent unambiguously. */
function randomValue (r: () => number, depth: number): unknown {
  const kind = Math.floor(r() * (depth > 3 ? 7 : 9))
  switch (kind) {
    case 0: return null
    case 1: return r() < 0.5
    case 2: return Math.floor((r() - 0.5) * 2 ** (Math.floor(r() * 53)))
    case 3: return (r() < 0.5 ? -1n : 1n) * (BigInt(Math.floor(r() * 2 ** 32)) << 32n) - (r() < 0.5 ? 1n : 0n) + 2n ** 53n
    case 4: return (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20) + 0.5
    case 5: return randomString(r)
    case 6: return r() < 0.5 ? Uint8Array.from({ length: Math.floor(r() * 20) }, () => Math.floor(r() * 256)) : (r() < 0.5 ? someCid : someV0)
    case 7: return Array.from({ length: Math.floor(r() * 5) }, () => randomValue(r, depth + 1))
    default: {
      const out: Record<string, unknown> = {}
      for (let i = Math.floor(r() * 5); i > 0; i--) out[randomString(r) + String(i)] = randomValue(r, depth + 1)
      return out
    }
  }
}

/** The CIDs in a decoded value, depth first, in stored key order. */
function linksIn (value: unknown): CID[] {
  const cid = CID.asCID(value)
  if (cid !== null) return [cid]
  if (Array.isArray(value)) return value.flatMap(linksIn)
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) return Object.values(value).flatMap(linksIn)
  return []
}

describe('random round trips against @ipld/dag-cbor and @ipld/dag-json', () => {
  for (let seed = 1; seed <= 300; seed++) {
    it(`seed ${seed}`, () => {
      const value = randomValue(rng(seed), 0)
      const cbor = dagCbor.encode(value)
      const json = new TextDecoder().decode(dagJson.encode(value))
      expect(dagCborToDagJson(cbor)).toBe(json)
      expect(dagJsonToDagCbor(json)).toEqual(cbor)
      const links = linksIn(dagCbor.decode(cbor)).map(String)
      expect(blockLinks(CID.createV1(0x71, someCid.multihash), cbor).map(String)).toEqual(links)
    })
  }
})
