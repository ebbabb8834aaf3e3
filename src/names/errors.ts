/**
 * Named errors of name resolution. Each crosses the RPC boundary by name; those with
 * `attempts` carry what each source said (shown as details).
 */

/** What one source (a routing endpoint, a DNS resolver) said about a name. */
export interface NameAttempt {
  source: string
  outcome: string
}

/** Text that is neither an IPNS name (a `libp2p-key` CID or a PeerId) nor a domain. */
export class InvalidNameError extends Error {
  static override readonly name = 'InvalidNameError'
  override name = 'InvalidNameError'
}

/** Why an IPNS record is refused. */
export type IpnsRecordProblem = 'too-large' | 'malformed' | 'unsigned' | 'v1-mismatch' | 'signature' | 'wrong-key' | 'expired' | 'rolled-back'

/** An IPNS record that must not be used, with the reason (`problem`). Never kept. */
export class InvalidIpnsRecordError extends Error {
  static override readonly name = 'InvalidIpnsRecordError'
  override name = 'InvalidIpnsRecordError'
  readonly problem: IpnsRecordProblem

  constructor (problem: IpnsRecordProblem, message: string) {
    super(message)
    this.problem = problem
  }
}

/** No source had a usable answer for a name (and none was kept): what each said. */
export class NameUnavailableError extends Error {
  static override readonly name = 'NameUnavailableError'
  override name = 'NameUnavailableError'
  readonly attempts: NameAttempt[]
  /** True when every source answered that it has no record (rather than failing or lying). */
  readonly notFound: boolean

  constructor (message: string, attempts: NameAttempt[], notFound: boolean) {
    super(message)
    this.attempts = attempts
    this.notFound = notFound
  }
}

/** A name whose chain of names loops back on itself or is longer than 32 links. */
export class NameChainError extends Error {
  static override readonly name = 'NameChainError'
  override name = 'NameChainError'
}

/** A DNSLink TXT record (or an IPNS record's value) that is not a usable `/ipfs/` or `/ipns/` path. */
export class InvalidNameValueError extends Error {
  static override readonly name = 'InvalidNameValueError'
  override name = 'InvalidNameValueError'
}

/** No name key with this id is kept here. */
export class NameKeyNotFoundError extends Error {
  static override readonly name = 'NameKeyNotFoundError'
  override name = 'NameKeyNotFoundError'
}

/** Bytes that are not a private key in the libp2p protobuf form (`ipfs key export`'s), or a label that cannot be used. */
export class InvalidNameKeyError extends Error {
  static override readonly name = 'InvalidNameKeyError'
  override name = 'InvalidNameKeyError'
}
