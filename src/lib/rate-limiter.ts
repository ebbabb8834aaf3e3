/**
 * A token bucket per key (a peer): each key may spend `burst` tokens at once and gets
 * `perSecond` back every second. Rooms and the relay drop what floods (`take`); Bitswap
 * serving paces what it sends (`reserve`, tokens as bytes).
 */
export interface RateLimiterInit {
  /** Tokens a key gains per second. */
  perSecond: number
  /** Tokens a key can hold, which is the largest burst it may send at once. */
  burst: number
  /** Buckets kept at most; the least recently used is forgotten first (default 10,000). */
  maxKeys?: number
}

interface Bucket { tokens: number, at: number }

/** Token buckets keyed by string. `now` is injectable so tests need not wait. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>()
  private readonly perSecond: number
  private readonly burst: number
  private readonly maxKeys: number
  private readonly now: () => number

  constructor (init: RateLimiterInit, now: () => number = () => Date.now()) {
    this.now = now
    if (!(init.perSecond > 0) || !(init.burst >= 1)) throw new RangeError('a rate limit needs perSecond > 0 and burst >= 1')
    this.perSecond = init.perSecond
    this.burst = init.burst
    this.maxKeys = init.maxKeys ?? 10_000
  }

  /** Takes one token for `key`; false when the key has none left (the caller drops the message). */
  take (key: string): boolean {
    const bucket = this.refill(key)
    const allowed = bucket.tokens >= 1
    if (allowed) bucket.tokens -= 1
    return allowed
  }

  /**
   * Spends `cost` tokens for `key` even if it has fewer (the balance goes negative) and
   * returns how many milliseconds the caller should wait before going ahead, so that over
   * time the key spends no more than `perSecond`.
   */
  reserve (key: string, cost: number): number {
    const bucket = this.refill(key)
    bucket.tokens -= cost
    return bucket.tokens >= 0 ? 0 : Math.ceil(-bucket.tokens / this.perSecond * 1000)
  }

  private refill (key: string): Bucket {
    const now = this.now()
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now }
    this.buckets.delete(key)
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) / 1000 * this.perSecond)
    bucket.at = now
    this.buckets.set(key, bucket)
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string)
    return bucket
  }
}
