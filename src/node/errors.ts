/**
 * Named errors of the node. Each crosses the RPC boundary by name and is rebuilt on the
 * other side, so the UI can tell them apart without reading messages. (Missing blocks are
 * `NotFoundError` from `interface-store`, as the blockstore interface requires.)
 */

/** A block's bytes do not hash to the digest in its CID. */
export class BlockVerificationError extends Error {
  static override readonly name = 'BlockVerificationError'
  override name = 'BlockVerificationError'
}

/** The CID uses a hash function Cairn cannot compute. */
export class UnsupportedHashError extends Error {
  static override readonly name = 'UnsupportedHashError'
  override name = 'UnsupportedHashError'
}

/** The CID uses a codec Cairn cannot decode. */
export class UnknownCodecError extends Error {
  static override readonly name = 'UnknownCodecError'
  override name = 'UnknownCodecError'
}

/** A path segment does not exist in the node it should be read from. */
export class PathNotFoundError extends Error {
  static override readonly name = 'PathNotFoundError'
  override name = 'PathNotFoundError'
}

/** A string given as a CID or an IPFS path cannot be parsed. */
export class InvalidPathError extends Error {
  static override readonly name = 'InvalidPathError'
  override name = 'InvalidPathError'
}
