import { ipnsValidator } from 'ipns/validator'
import { multihashToIPNSRoutingKey, unmarshalIPNSRecord } from 'ipns'
import * as Digest from 'multiformats/hashes/digest'
import type { MultihashDigest } from 'multiformats/hashes/interface'
import { InvalidIpnsRecordError, type IpnsRecordProblem } from './errors.ts'
import type { IpnsKeyName } from './name.ts'

/** The largest IPNS record accepted; bigger ones are refused before they are parsed (the spec's limit). */
export const MAX_IPNS_RECORD_BYTES = 10 * 1024

/** How long a record answers without asking again when it names no TTL (the spec's suggestion). */
export const DEFAULT_TTL_MS = 5 * 60_000

/** A checked IPNS record and what it says. */
export interface IpnsRecordInfo {
  /** The signed record exactly as received (served as is for `?format=ipns-record`). */
  bytes: Uint8Array
  /** `/ipfs/…` or `/ipns/…`, possibly with a path. */
  value: string
  sequence: bigint
  /** When the signature stops being valid (EOL), in ms since the epoch. */
  validUntil: number
  /** How long it may answer before it is asked for again, in ms (`DEFAULT_TTL_MS` when it names none). */
  ttlMs: number
}

/**
 * Checks a record for `name` exactly as the IPNS record spec says, with the `ipns` library
 * (the ecosystem's reader, behind this one function): at most 10 KiB, checked before parsing;
 * `signatureV2` required and verified over `"ipns-signature:" + data`; the public key taken from
 * the name (an identity multihash) or the record's `pubKey`, which must be the name's; the V1
 * fields, when present, equal to the CBOR `data`; the EOL not past. Ed25519, secp256k1, ECDSA and
 * RSA keys are read by `@libp2p/crypto`. Throws `InvalidIpnsRecordError` naming the problem.
 */
export async function readIpnsRecord (name: IpnsKeyName, bytes: Uint8Array): Promise<IpnsRecordInfo> {
  if (bytes.byteLength > MAX_IPNS_RECORD_BYTES) throw new InvalidIpnsRecordError('too-large', `the record is ${bytes.byteLength} bytes; at most ${MAX_IPNS_RECORD_BYTES} are accepted`)
  const digest = Digest.decode(name.multihash)
  // PeerIds are identity (the key itself) or SHA-256 multihashes; names are parsed as PeerIds.
  const routingKey = multihashToIPNSRoutingKey(digest as MultihashDigest<0x00 | 0x12>)
  try {
    await ipnsValidator(routingKey, bytes)
  } catch (err) {
    const [problem, reason] = problemOf(err)
    throw new InvalidIpnsRecordError(problem, `the record for ${name.name} is refused: ${reason}`)
  }
  const record = unmarshalIPNSRecord(bytes)
  if (!record.value.startsWith('/ipfs/') && !record.value.startsWith('/ipns/')) {
    throw new InvalidIpnsRecordError('malformed', `the record for ${name.name} points at "${record.value.slice(0, 100)}", which is not an /ipfs/ or /ipns/ path`)
  }
  const ttlNs = record.ttl ?? 0n
  return {
    bytes,
    value: record.value,
    sequence: record.sequence,
    validUntil: Date.parse(record.validity),
    ttlMs: ttlNs > 0n ? Number(ttlNs / 1_000_000n) : DEFAULT_TTL_MS
  }
}

/** The IPNS record spec's order: a higher sequence wins, then a later EOL. */
export function betterRecord (a: IpnsRecordInfo, b: IpnsRecordInfo): boolean {
  return a.sequence > b.sequence || (a.sequence === b.sequence && a.validUntil > b.validUntil)
}

/** The library's errors, by name and message, as a problem and a reason a person can read. */
function problemOf (err: unknown): [IpnsRecordProblem, string] {
  const { name, message } = err instanceof Error ? err : { name: 'Error', message: String(err) }
  if (name === 'RecordTooLargeError') return ['too-large', 'it is over 10 KiB']
  if (name === 'RecordExpiredError') return ['expired', 'its validity (EOL) has passed']
  if (name === 'InvalidEmbeddedPublicKeyError') return ['wrong-key', 'it is not signed by the key the name names']
  if (message.includes('signatureV2')) return ['unsigned', 'it has no V2 signature (V1-only records are not accepted)']
  if (message.includes('did not match between protobuf and CBOR')) return ['v1-mismatch', `its V1 fields differ from its signed data (${message})`]
  if (name === 'SignatureVerificationError') return ['signature', 'its V2 signature does not verify']
  return ['malformed', `it cannot be read (${message})`]
}
