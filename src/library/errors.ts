/** The CID is not pinned (unpin, update). */
export class NotPinnedError extends Error {
  override name = 'NotPinnedError'
}

/** A pin request that cannot be done as asked (Kubo's rules, for example direct over recursive). */
export class PinConflictError extends Error {
  override name = 'PinConflictError'
}
