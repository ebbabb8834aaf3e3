import { logger } from '@libp2p/logger'
import type { Library } from './library.ts'

const log = logger('cairn:library:eviction')

/** How long writes must pause before the budget is checked. */
export const EVICTION_QUIET_MS = 3_000

/** What the scheduler checks against. */
export interface EvictionSchedulerInit {
  library: Library
  /** Bytes stored now (the blockstore's totals: one small read). */
  stored: () => Promise<number>
  /** The budget in bytes now, or undefined when it cannot be known (no quota estimate). */
  budget: () => Promise<number | undefined>
  quietMs?: number
}

/**
 * Runs eviction when stored blocks pass the budget: told of every write, it waits for writes
 * to pause (`EVICTION_QUIET_MS`), then compares the store's totals with the budget and evicts
 * opened content, least recently used first (`Library.evict`). One run at a time.
 */
export class EvictionScheduler {
  private readonly init: EvictionSchedulerInit
  private timer: ReturnType<typeof setTimeout> | undefined
  private running: Promise<void> | undefined

  constructor (init: EvictionSchedulerInit) {
    this.init = init
  }

  /** Something was stored. */
  written (): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => { void this.check() }, this.init.quietMs ?? EVICTION_QUIET_MS)
  }

  /** Checks now (also what the timer runs); resolves when any eviction it started is done. */
  async check (): Promise<void> {
    this.running ??= this.run().finally(() => { this.running = undefined })
    return this.running
  }

  private async run (): Promise<void> {
    try {
      const [stored, budget] = await Promise.all([this.init.stored(), this.init.budget()])
      if (budget === undefined || stored <= budget) return
      const result = await this.init.library.evict(budget)
      log('over budget (%d > %d): evicted %d opened roots', stored, budget, result.evicted.length)
    } catch (err) {
      log.error('eviction failed: %s', (err as Error).message)
    }
  }
}
