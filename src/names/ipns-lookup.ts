import { InvalidIpnsRecordError, NameUnavailableError, type NameAttempt } from './errors.ts'
import { betterRecord, readIpnsRecord, type IpnsRecordInfo } from './ipns-record.ts'
import type { IpnsKeyName } from './name.ts'
import type { KeptName } from './name-store.ts'
import { fetchRoutingRecord } from './routing-records.ts'
import type { SourceCounter } from './source-counts.ts'

/** How long a lookup waits for other endpoints once one has answered with a good record. */
export const IPNS_GRACE_MS = 250

/** Options of one IPNS lookup. */
export interface IpnsLookup {
  /** Delegated Routing V1 endpoints, asked at the same time. */
  endpoints: string[]
  counts: SourceCounter
  /** What is kept for the name: a record with a lower sequence never replaces it. */
  kept?: KeptName
  now: number
  signal?: AbortSignal
}

/**
 * Asks every endpoint for `name`'s record at the same time, checks each (`readIpnsRecord`) and
 * counts it against its endpoint, and returns the best: highest sequence, then latest EOL. It
 * waits for the others `IPNS_GRACE_MS` after the first good one, so one stale endpoint does not
 * win by being quick. A record with a lower sequence than the kept one is refused as rolled
 * back. Throws `NameUnavailableError` with what each endpoint said when none gave a usable one.
 */
export async function lookupIpns (name: IpnsKeyName, options: IpnsLookup): Promise<KeptName> {
  const attempts: NameAttempt[] = []
  let best: { info: IpnsRecordInfo, source: string } | undefined
  let notFound = 0
  let firstGood: (() => void) | undefined
  const good = new Promise<void>(resolve => { firstGood = resolve })
  const keptSequence = options.kept?.sequence === undefined ? undefined : BigInt(options.kept.sequence)
  const asks = options.endpoints.map(async url => {
    const source = new URL(url).host
    try {
      const answer = await fetchRoutingRecord(url, name, options.signal)
      if (!answer.found) {
        notFound++
        options.counts.add(url, 'failed')
        attempts.push({ source, outcome: answer.reason })
        return
      }
      const info = await readIpnsRecord(name, answer.bytes)
      if (keptSequence !== undefined && info.sequence < keptSequence) {
        throw new InvalidIpnsRecordError('rolled-back', `sequence ${info.sequence} is older than the kept record's ${keptSequence}`)
      }
      options.counts.add(url, 'served')
      attempts.push({ source, outcome: `record, sequence ${info.sequence}` })
      if (best === undefined || betterRecord(info, best.info)) best = { info, source: url }
      firstGood?.()
    } catch (err) {
      options.signal?.throwIfAborted()
      const refused = err instanceof InvalidIpnsRecordError
      options.counts.add(url, refused ? 'invalid' : 'failed')
      attempts.push({ source, outcome: refused ? `refused: ${err.message}` : `failed: ${(err as Error).message}` })
    }
  })
  const all = Promise.all(asks)
  await Promise.race([all, good.then(async () => { await Promise.race([all, new Promise(resolve => setTimeout(resolve, IPNS_GRACE_MS))]) })])
  const chosen = best as { info: IpnsRecordInfo, source: string } | undefined
  if (chosen === undefined) {
    const none = options.endpoints.length === 0 ? 'no routing endpoint is enabled' : 'no routing endpoint had a usable record'
    throw new NameUnavailableError(`${name.name}: ${none}`, attempts, options.endpoints.length > 0 && notFound === options.endpoints.length)
  }
  const { info, source } = chosen
  return {
    name: name.name,
    kind: 'ipns',
    value: info.value,
    record: info.bytes,
    sequence: info.sequence.toString(),
    validUntil: info.validUntil,
    ttlMs: info.ttlMs,
    fetchedAt: options.now,
    source
  }
}
