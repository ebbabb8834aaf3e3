/**
 * A small seeded generator (mulberry32), so every fuzz input can be made again from its
 * seed: a finding is reproducible from the seed and iteration the runner prints.
 */
export class Rng {
  private state: number

  constructor (seed: number) {
    this.state = seed >>> 0
  }

  /** A uniform 32-bit unsigned integer. */
  u32 (): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }

  /** An integer in `[0, n)`. */
  below (n: number): number {
    return n <= 1 ? 0 : this.u32() % n
  }

  /** True with probability `p`. */
  chance (p: number): boolean {
    return this.u32() / 0x1_0000_0000 < p
  }

  /** One element of a non-empty list. */
  pick<T> (items: readonly T[]): T {
    return items[this.below(items.length)]
  }

  /** `n` random bytes. */
  bytes (n: number): Uint8Array {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff
    return out
  }
}

/** `[0, n)` from a generator seeded with `seed`: for tests that want a reproducible pick. */
export function picker (seed: number): (n: number) => number {
  const rng = new Rng(seed)
  return n => rng.below(n)
}
