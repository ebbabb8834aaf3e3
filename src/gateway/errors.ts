/** A gateway failure with the HTTP status it is answered with. */
export class GatewayError extends Error {
  override name = 'GatewayError'
  readonly status: number

  constructor (status: number, message: string) {
    super(message)
    this.status = status
  }
}

/** A block the request needs is not available: 404, or 412 under `only-if-cached`. */
export class BlockNotStoredError extends GatewayError {
  override name = 'BlockNotStoredError'

  constructor (message: string) {
    super(404, message)
  }
}
