import type { CID } from 'multiformats/cid'
import type { ProviderRouting } from '../dht.ts'

/**
 * Tells the DHT what the home node keeps, one root at a time (a DHT provide walks the
 * network and takes a while): each pinned root when it is pinned and again at every start,
 * and withdraws a root when its pin goes. Failures are logged and counted, never thrown.
 */
export class ProviderAnnouncer {
  readonly counts = { announced: 0, failed: 0 }
  private readonly routing: ProviderRouting
  private readonly log: (line: string) => void
  private queue: Promise<void> = Promise.resolve()

  constructor (routing: ProviderRouting, log: (line: string) => void) {
    this.routing = routing
    this.log = log
  }

  /** Queues a provider record for `cid`. */
  announce (cid: CID): void {
    this.queue = this.queue.then(async () => {
      try {
        await this.routing.provide(cid)
        this.counts.announced++
        this.log(`dht: announced ${cid}`)
      } catch (err) {
        this.counts.failed++
        this.log(`dht: announcing ${cid} failed: ${(err as Error).message}`)
      }
    })
  }

  /** Stops re-providing `cid`. */
  withdraw (cid: CID): void {
    this.queue = this.queue.then(async () => {
      await this.routing.withdraw(cid).catch((err: Error) => this.log(`dht: withdrawing ${cid} failed: ${err.message}`))
    })
  }

  /** Resolves once everything queued so far is done. */
  async settled (): Promise<void> {
    await this.queue
  }
}
