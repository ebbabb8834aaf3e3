/**
 * Named errors of the node. Each crosses the RPC boundary by name and is rebuilt on the
 * other side, so the UI can tell them apart without reading messages. (Missing blocks are
 * `NotFoundError` from `interface-store`, as the blockstore interface requires.)
 */

/** Where in a file a block verification failed (a CAR section's offset), when it came from one. */
abstract class BlockCheckError extends Error {
  readonly offset: number | undefined

  constructor (message: string, offset?: number) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`)
    this.offset = offset
  }
}

/** A block's bytes do not hash to the digest in its CID. */
export class BlockHashMismatchError extends BlockCheckError {
  static override readonly name = 'BlockHashMismatchError'
  override name = 'BlockHashMismatchError'
}

/** A block is hashed with a function Cairn cannot compute, so it cannot be verified. */
export class UnsupportedMultihashError extends BlockCheckError {
  static override readonly name = 'UnsupportedMultihashError'
  override name = 'UnsupportedMultihashError'
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
