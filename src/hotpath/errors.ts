/**
 * Named errors thrown by the hot path. Tests and callers match on `name`, never on message
 * text; `offset` is the byte offset of the problem in the input where one is known.
 */
export class HotpathError extends Error {
  static readonly code: number = 0
  readonly offset: number | undefined

  override name = 'HotpathError'

  constructor (message: string, offset?: number) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`)
    this.offset = offset
  }
}

/** The bytes are not valid strict DAG-CBOR. */
export class DagCborDecodeError extends HotpathError {
  override name = 'DagCborDecodeError'
  static override readonly code = 1
}

/** The text is not valid strict DAG-JSON. */
export class DagJsonParseError extends HotpathError {
  override name = 'DagJsonParseError'
  static override readonly code = 2
}

/** The bytes are not valid DAG-PB. */
export class DagPbDecodeError extends HotpathError {
  override name = 'DagPbDecodeError'
  static override readonly code = 3
}

/** The call was malformed, for example a codec with no link reader. */
export class InvalidArgumentError extends HotpathError {
  override name = 'InvalidArgumentError'
  static override readonly code = 5
}

/** A CAR's header or section framing is malformed. */
export class CarFormatError extends HotpathError {
  override name = 'CarFormatError'
  static override readonly code = 6
}

/** A CAR ends in the middle of its header or of a section. */
export class CarTruncatedError extends HotpathError {
  override name = 'CarTruncatedError'
  static override readonly code = 7
}

/** The data is valid but cannot be written as DAG-JSON (a map in DAG-JSON's reserved namespace). */
export class DagJsonEncodeError extends HotpathError {
  override name = 'DagJsonEncodeError'
  static override readonly code = 10
}

/** A UnixFS import was fed something it cannot build: a bad name, a name twice in one folder. */
export class UnixfsInputError extends HotpathError {
  override name = 'UnixfsInputError'
  static override readonly code = 11
}

/** The module trapped: a bug in it, never an answer about the input. It is restarted. */
export class HotpathCrashError extends HotpathError {
  override name = 'HotpathCrashError'
}

/** The module was used before `ready()` resolved. */
export class HotpathNotReadyError extends HotpathError {
  override name = 'HotpathNotReadyError'
}

const byCode = new Map<number, typeof HotpathError>(
  [DagCborDecodeError, DagJsonParseError, DagPbDecodeError, InvalidArgumentError, CarFormatError, CarTruncatedError, DagJsonEncodeError, UnixfsInputError].map(e => [e.code, e])
)

/** Builds the named error for a non-zero status code from the module. */
export function errorForCode (code: number, message: string, offset: number | undefined): HotpathError {
  const ErrorClass = byCode.get(code) ?? HotpathError
  return new ErrorClass(message, offset)
}
