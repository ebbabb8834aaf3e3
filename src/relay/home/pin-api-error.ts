/**
 * An error the Pinning Service API answers with: its HTTP status and the spec's `Failure`
 * body (`{ error: { reason, details } }`).
 */
export class PinApiError extends Error {
  readonly status: number
  readonly reason: string

  constructor (status: number, reason: string, details: string) {
    super(details)
    this.name = 'PinApiError'
    this.status = status
    this.reason = reason
  }
}
