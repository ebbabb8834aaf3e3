import { parseCid } from '../lib/parse-cid.ts'
import type { CID } from 'multiformats/cid'
import { base16 } from 'multiformats/bases/base16'
import { base32 } from 'multiformats/bases/base32'
import { base36 } from 'multiformats/bases/base36'
import { base58btc } from 'multiformats/bases/base58'
import { base64, base64url } from 'multiformats/bases/base64'
import type { MultibaseEncoder } from 'multiformats/bases/interface'
import { InvalidPathError } from './errors.ts'
import { codecNameOf, hashNameOf } from '../lib/multicodec.ts'

/** Everything there is to know about one CID, for the inspector. */
export interface CidInfo {
  input: string
  version: 0 | 1
  multibase: { name: string, prefix: string }
  codec: { name: string, code: number }
  multihash: { name: string, code: number, length: number, digestHex: string }
  /** The CIDv0 form, where one exists (dag-pb + sha2-256). */
  v0?: string
  v1: string
  /** The CIDv1 in other bases. */
  bases: Array<{ name: string, text: string }>
}

const bases: Array<MultibaseEncoder<string>> = [base32, base36, base58btc, base16, base64, base64url]
const prefixes = new Map<string, string>([base32, base36, base58btc, base16, base64, base64url].map(b => [b.prefix, b.name]))
prefixes.set('B', 'base32upper')
prefixes.set('K', 'base36upper')
prefixes.set('F', 'base16upper')


/** Parses a CID in any supported base and describes it. Throws `InvalidPathError` for bad input. */
export function inspectCid (input: string): CidInfo {
  const text = input.trim()
  let cid: CID
  try {
    cid = parseCid(text)
  } catch (err) {
    throw new InvalidPathError(`"${text}" is not a valid CID: ${(err as Error).message}`)
  }
  const v1 = cid.toV1()
  const canV0 = cid.code === 0x70 && cid.multihash.code === 0x12 && cid.multihash.digest.length === 32
  return {
    input: text,
    version: cid.version,
    multibase: cid.version === 0 ? { name: 'base58btc (implicit, CIDv0)', prefix: '' } : { name: prefixes.get(text[0]) ?? 'unknown', prefix: text[0] },
    codec: { name: codecNameOf(cid.code) ?? 'unknown', code: cid.code },
    multihash: {
      name: hashNameOf(cid.multihash.code) ?? 'unknown',
      code: cid.multihash.code,
      length: cid.multihash.size,
      digestHex: Array.from(cid.multihash.digest, b => b.toString(16).padStart(2, '0')).join('')
    },
    ...(canV0 ? { v0: cid.toV0().toString() } : {}),
    v1: v1.toString(),
    bases: bases.map(b => ({ name: b.name, text: v1.toString(b) }))
  }
}

