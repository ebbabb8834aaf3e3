import { describe, expect, it } from 'vitest'
import { RateLimiter } from '../../../src/lib/rate-limiter.ts'

describe('rate limiter', () => {
  it('allows a burst, then the refill rate, per key', () => {
    let now = 0
    const limiter = new RateLimiter({ perSecond: 2, burst: 3 }, () => now)
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([true, true, true, false])
    expect(limiter.take('b')).toBe(true)
    now = 500
    expect(limiter.take('a')).toBe(true)
    expect(limiter.take('a')).toBe(false)
    expect(() => new RateLimiter({ perSecond: 0, burst: 1 })).toThrow(RangeError)
  })
})
