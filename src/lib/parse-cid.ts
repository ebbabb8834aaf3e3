import { CID } from 'multiformats/cid'
import { base16 } from 'multiformats/bases/base16'
import { base32 } from 'multiformats/bases/base32'
import { base36 } from 'multiformats/bases/base36'
import { base58btc } from 'multiformats/bases/base58'
import { base64, base64url } from 'multiformats/bases/base64'

/** A decoder for the bases CIDs are written in, so `CID.parse` accepts them all. */
function multibaseFor (text: string): Parameters<typeof CID.parse>[1] {
  const lower = text[0].toLowerCase()
  const table = { b: base32, k: base36, z: base58btc, f: base16, m: base64, u: base64url } as const
  const base = table[lower as keyof typeof table]
  if (base === undefined) throw new Error(`unsupported multibase prefix "${text[0]}"`)
  if (text[0] !== lower && (lower === 'b' || lower === 'k' || lower === 'f')) {
    return { decode: (s: string) => base.decode(lower + s.slice(1).toLowerCase()) }
  }
  return base
}

/**
 * Parses a CID written as a CIDv0 (`Qm…`) or in base32, base36, base58btc, base16, base64 or
 * base64url (the case-insensitive ones in either case). Throws for anything else.
 */
export function parseCid (text: string): CID {
  return text.startsWith('Qm') ? CID.parse(text) : CID.parse(text, multibaseFor(text))
}
