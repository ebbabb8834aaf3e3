import { multihashToIPNSRoutingKey } from 'ipns'
import * as Digest from 'multiformats/hashes/digest'
import type { MultihashDigest } from 'multiformats/hashes/interface'
import type { IpnsRecordInfo } from '../../names/ipns-record.ts'
import type { IpnsKeyName } from '../../names/name.ts'
import type { ProviderRouting } from '../dht.ts'

/** How often every kept record is put into the DHT again (DHT peers drop records after 48 h). */
export const REPUT_EVERY_MS = 12 * 3600_000

/**
 * Puts the IPNS records the home node keeps into the DHT (with `--dht`): each as it is kept,
 * all at start, and again every 12 hours until its EOL. The node holds no keys: it hands out
 * the records its users signed, so a name stays resolvable in the DHT while its last record is
 * valid, with every browser closed.
 */
export class NameRepublisher {
  readonly counts = { put: 0, failed: 0 }
  private readonly routing: ProviderRouting
  private readonly log: (line: string) => void
  private timer: ReturnType<typeof setInterval> | undefined
  private queue: Promise<void> = Promise.resolve()

  constructor (routing: ProviderRouting, log: (line: string) => void) {
    this.routing = routing
    this.log = log
  }

  /** Queues a put of `record` under `name`'s routing key. */
  republish (name: IpnsKeyName, record: IpnsRecordInfo): void {
    if (record.validUntil <= Date.now()) return
    const key = multihashToIPNSRoutingKey(Digest.decode(name.multihash) as MultihashDigest<0x00 | 0x12>)
    this.queue = this.queue.then(async () => {
      try {
        await this.routing.putRecord(key, record.bytes)
        this.counts.put++
        this.log(`dht: put the IPNS record of ${name.name} (sequence ${record.sequence})`)
      } catch (err) {
        this.counts.failed++
        this.log(`dht: putting the IPNS record of ${name.name} failed: ${(err as Error).message}`)
      }
    })
  }

  /** Republishes everything `kept` lists now and every `REPUT_EVERY_MS`. */
  start (kept: () => Array<{ name: IpnsKeyName, record: IpnsRecordInfo }>): void {
    const all = (): void => { for (const { name, record } of kept()) this.republish(name, record) }
    all()
    this.timer = setInterval(all, REPUT_EVERY_MS)
    this.timer.unref?.()
  }

  stop (): void {
    clearInterval(this.timer)
  }

  /** Resolves once every put queued so far is done. */
  async settled (): Promise<void> {
    await this.queue
  }
}
