/** One source's answer in a fetch that failed. */
export interface FetchAttempt {
  source: string
  outcome: string
}

/**
 * No source gave a block that matches its CID in time. Its name makes it a "not found" for
 * readers that only ask "is it available?"; the gateway answers it with 504 and the attempts.
 */
export class BlockUnavailableError extends Error {
  override name = 'BlockUnavailableError'
  readonly attempts: FetchAttempt[]

  constructor (message: string, attempts: FetchAttempt[]) {
    super(message)
    this.attempts = attempts
  }
}

/** A setting of the content exchange that cannot be used. */
export class InvalidExchangeSettingError extends Error {
  override name = 'InvalidExchangeSettingError'
}
