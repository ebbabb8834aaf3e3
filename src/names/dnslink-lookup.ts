import type { DohResolver } from './dns-txt.ts'
import { InvalidNameValueError, NameUnavailableError, type NameAttempt } from './errors.ts'
import type { DnsLinkName } from './name.ts'
import type { KeptName } from './name-store.ts'
import type { SourceCounter } from './source-counts.ts'

/** Options of one DNSLink lookup. */
export interface DnsLinkLookup {
  resolvers: DohResolver[]
  counts: SourceCounter
  now: number
  signal?: AbortSignal
}

/**
 * Finds `domain`'s DNSLink as the spec says: TXT records of `_dnslink.<domain>` starting with
 * `dnslink=`, or, when it has none, of the domain itself; sorted, the first `/ipfs/` or
 * `/ipns/` one wins. Every resolver is asked at the same time and the first usable answer is
 * taken (DNS answers carry no signature to rank them by); kept for the answers' smallest TTL.
 * A `dnslink=` value that is not a content path is counted against its resolver as invalid.
 * Throws `NameUnavailableError` with what each resolver said when none had a usable answer.
 */
export async function lookupDnsLink (name: DnsLinkName, options: DnsLinkLookup): Promise<KeptName> {
  const attempts: NameAttempt[] = []
  let notFound = 0
  const asks = options.resolvers.map(async resolver => {
    const source = new URL(resolver.url).host
    try {
      for (const fqdn of [`_dnslink.${name.name}`, name.name]) {
        const records = (await resolver.txt(fqdn, options.signal)).filter(r => r.text.startsWith('dnslink='))
        if (records.length === 0) continue
        const value = records.map(r => r.text.slice('dnslink='.length).trim()).sort()
          .find(v => v.startsWith('/ipfs/') || v.startsWith('/ipns/'))
        if (value === undefined || !/^\/ip[fn]s\/[^/\s]+/.test(value)) {
          throw new InvalidNameValueError(`${fqdn} has a dnslink= record that is not an /ipfs/ or /ipns/ path ("${records[0].text.slice(0, 100)}")`)
        }
        options.counts.add(resolver.url, 'served')
        attempts.push({ source, outcome: `${fqdn}: ${value}` })
        const kept: KeptName = { name: name.name, kind: 'dnslink', value, ttlMs: Math.min(...records.map(r => r.ttl)) * 1000, fetchedAt: options.now, source: resolver.url }
        return kept
      }
      notFound++
      options.counts.add(resolver.url, 'failed')
      attempts.push({ source, outcome: `no dnslink= TXT record at _dnslink.${name.name} or ${name.name}` })
    } catch (err) {
      options.signal?.throwIfAborted()
      const invalid = err instanceof InvalidNameValueError
      options.counts.add(resolver.url, invalid ? 'invalid' : 'failed')
      attempts.push({ source, outcome: invalid ? `refused: ${err.message}` : `failed: ${(err as Error).message}` })
    }
    throw new Error('no answer')
  })
  try {
    return await Promise.any(asks)
  } catch {
    const none = options.resolvers.length === 0 ? 'no DNS-over-HTTPS resolver is enabled' : 'no DNS resolver had a DNSLink for it'
    throw new NameUnavailableError(`${name.name}: ${none}`, attempts, options.resolvers.length > 0 && notFound === options.resolvers.length)
  }
}
