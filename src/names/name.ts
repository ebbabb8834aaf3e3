import { peerIdFromCID, peerIdFromString } from '@libp2p/peer-id'
import { CID } from 'multiformats/cid'
import { base36 } from 'multiformats/bases/base36'
import * as Digest from 'multiformats/hashes/digest'
import { InvalidNameError } from './errors.ts'

/** The multicodec of a CID that names a public key. */
export const LIBP2P_KEY_CODEC = 0x72

/** An IPNS name: the multihash of a public key. */
export interface IpnsKeyName {
  kind: 'ipns'
  /** The name as a `libp2p-key` CIDv1 in base36 (`k51…`), the form gateways and routers use. */
  name: string
  /** The public key's multihash (identity for Ed25519, where the key is the multihash). */
  multihash: Uint8Array
}

/** A DNSLink name: a domain whose `_dnslink` TXT record points at content. */
export interface DnsLinkName {
  kind: 'dnslink'
  /** Lower case, without a trailing dot. */
  name: string
}

/** What `/ipns/<name>` can name. */
export type ParsedName = IpnsKeyName | DnsLinkName

/** A DNS name: labels of letters, digits and hyphens (not first or last), 1–63 each, 253 in all. */
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/

/**
 * Reads the name in `/ipns/<name>`: a `libp2p-key` CIDv1 in any base (`k51…`, `bafz…`), a bare
 * PeerId (`12D3Koo…`, `Qm…`), or a domain for DNSLink. Throws `InvalidNameError`.
 */
export function parseName (text: string): ParsedName {
  const value = text.trim()
  if (value === '') throw new InvalidNameError('a name is empty')
  const key = keyName(value)
  if (key !== undefined) return key
  const domain = value.toLowerCase().replace(/\.$/, '')
  if (domain.includes('.') && DOMAIN.test(domain)) return { kind: 'dnslink', name: domain }
  throw new InvalidNameError(`"${value}" is neither an IPNS name (a libp2p-key CID or a PeerId) nor a domain name`)
}

function keyName (value: string): IpnsKeyName | undefined {
  let cid: CID | undefined
  try {
    cid = CID.parse(value, value.startsWith('k') ? base36 : undefined)
  } catch {
    cid = undefined
  }
  // `Qm…` reads as a CIDv0 too; as a name it is an RSA PeerId (a SHA-256 multihash of the key).
  if (cid !== undefined && cid.version === 1) {
    if (cid.code !== LIBP2P_KEY_CODEC) {
      throw new InvalidNameError(`${value} is a CID, but not of a public key (libp2p-key): an IPNS name names a key, not content`)
    }
    return fromMultihash(peerIdFromCID(cid).toMultihash().bytes)
  }
  if (!/^(12D3Koo|16Uiu2|Qm)/.test(value)) return undefined
  try {
    return fromMultihash(peerIdFromString(value).toMultihash().bytes)
  } catch {
    return undefined
  }
}

function fromMultihash (multihash: Uint8Array): IpnsKeyName {
  return { kind: 'ipns', name: CID.createV1(LIBP2P_KEY_CODEC, Digest.decode(multihash)).toString(base36), multihash }
}
