/** An error flattened to cross the boundary; rebuilt by name on the other side. */
export interface SerializedError {
  name: string
  message: string
  offset?: number
  /** Lines that explain the error (what each source said, for a fetch that failed). */
  details?: string[]
}

/** The SW did not answer within the timeout, even after a retry. */
export class RpcTimeoutError extends Error {
  static override readonly name = 'RpcTimeoutError'
  override name = 'RpcTimeoutError'
}

/** No Service Worker is available to answer (unsupported browser or registration failed). */
export class NoServiceWorkerError extends Error {
  static override readonly name = 'NoServiceWorkerError'
  override name = 'NoServiceWorkerError'
}

/** The caller is not allowed to use the RPC (not a same-origin app page). */
export class RpcForbiddenError extends Error {
  static override readonly name = 'RpcForbiddenError'
  override name = 'RpcForbiddenError'
}

/** The method does not exist. */
export class UnknownMethodError extends Error {
  static override readonly name = 'UnknownMethodError'
  override name = 'UnknownMethodError'
}

/** A call's parameters are missing or of the wrong type. Nothing ran. */
export class InvalidParamsError extends Error {
  static override readonly name = 'InvalidParamsError'
  override name = 'InvalidParamsError'
}

/** Flattens any thrown value into a plain object that survives structured cloning. */
export function serializeError (err: unknown): SerializedError {
  if (err instanceof Error) {
    const offset = (err as { offset?: unknown }).offset
    const attempts = (err as { attempts?: unknown }).attempts
    const details = Array.isArray(attempts) ? attempts.map(a => `${String((a as { source?: unknown }).source)}: ${String((a as { outcome?: unknown }).outcome)}`) : undefined
    return { name: err.name, message: err.message, ...(typeof offset === 'number' ? { offset } : {}), ...(details !== undefined ? { details } : {}) }
  }
  return { name: 'Error', message: String(err) }
}

/**
 * An error received over RPC. `name` is the original error's name (for example
 * `DagJsonParseError` or `NotFoundError`), so callers can branch on it.
 */
export class RemoteError extends Error {
  readonly offset: number | undefined
  readonly details: string[]

  constructor (error: SerializedError) {
    super(error.message)
    this.name = error.name
    this.offset = error.offset
    this.details = error.details ?? []
  }
}

/** Rebuilds a serialized error. */
export function deserializeError (error: SerializedError): RemoteError {
  return new RemoteError(error)
}
