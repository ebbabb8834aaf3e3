/** A gateway failure with the HTTP status it is answered with. */
export class GatewayError extends Error {
  override name = 'GatewayError'
  readonly status: number
  /** Lines listed under the message on the error page (what was tried, for a 504). */
  readonly details: string[]

  constructor (status: number, message: string, details: string[] = []) {
    super(message)
    this.status = status
    this.details = details
  }
}

/** No source had a block the request needs within the fetch timeout: 504 with what was tried. */
export class BlockFetchTimeoutError extends GatewayError {
  override name = 'BlockFetchTimeoutError'

  constructor (message: string, attempts: Array<{ source: string, outcome: string }>) {
    super(504, message, attempts.map(a => `${a.source}: ${a.outcome}`))
  }
}

/** A block the request needs is not available: 404, or 412 under `only-if-cached`. */
export class BlockNotStoredError extends GatewayError {
  override name = 'BlockNotStoredError'

  constructor (message: string) {
    super(404, message)
  }
}
