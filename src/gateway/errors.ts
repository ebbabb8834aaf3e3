/** A gateway failure with the HTTP status it is answered with. */
export class GatewayError extends Error {
  override name = 'GatewayError'
  readonly status: number

  constructor (status: number, message: string) {
    super(message)
    this.status = status
  }
}
