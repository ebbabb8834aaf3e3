import { RecordType, type Answer } from '@multiformats/dns'
import { dnsJsonOverHttps, dnsOverHttps, type DNSResolver } from '@multiformats/dns/resolvers'

/** A TXT record's text and how long it may be kept, in seconds. */
export interface TxtRecord {
  text: string
  ttl: number
}

/**
 * TXT lookups through one DNS-over-HTTPS resolver, with `@multiformats/dns`'s resolvers (not
 * its `dns()` front, which takes "no records" for a failure). RFC 8484 (the
 * DNS wire format, which every DoH server speaks) is tried first; a resolver that refuses it
 * is asked with the JSON API (`application/dns-json`) instead, and the form that worked is
 * remembered for the next lookup. Answers are not cached here (names cache by TTL above).
 */
export class DohResolver {
  readonly url: string
  private readonly forms: Array<{ name: 'wire' | 'json', query: DNSResolver }>

  constructor (url: string) {
    this.url = url
    this.forms = [
      { name: 'wire', query: dnsOverHttps(url) },
      { name: 'json', query: dnsJsonOverHttps(url) }
    ]
  }

  /** The TXT records of `fqdn` (none when it has none). Throws when the resolver fails in both forms. */
  async txt (fqdn: string, signal?: AbortSignal): Promise<TxtRecord[]> {
    const failures: string[] = []
    for (const form of [...this.forms]) {
      try {
        const answer = await form.query(fqdn, { types: [RecordType.TXT], ...(signal === undefined ? {} : { signal }) })
        // NOERROR and NXDOMAIN are answers (NXDOMAIN: no records); anything else is a failure.
        if (answer.Status !== 0 && answer.Status !== 3) throw new Error(`DNS status ${answer.Status}`)
        if (form !== this.forms[0]) this.forms.reverse()
        return answer.Answer.filter(isTxt).map(a => ({ text: textOf(a.data), ttl: a.TTL }))
      } catch (err) {
        signal?.throwIfAborted()
        failures.push(`${form.name}: ${(err as Error).message}`)
      }
    }
    throw new Error(failures.join('; '))
  }
}

/** A TXT answer. The library gives the type as a number (wire form) or its name (JSON form). */
function isTxt (answer: Answer): boolean {
  return answer.type === RecordType.TXT || String(answer.type) === 'TXT'
}

/**
 * TXT data as text. DNS splits long texts into strings of 255 bytes, joined here: the wire
 * form gives them as a list of bytes, the JSON form as quoted strings (or one bare string).
 */
function textOf (data: unknown): string {
  if (Array.isArray(data)) return data.map(part => typeof part === 'string' ? part : new TextDecoder().decode(part as Uint8Array)).join('')
  if (data instanceof Uint8Array) return new TextDecoder().decode(data)
  const text = String(data)
  const parts = [...text.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map(m => m[1].replace(/\\(.)/g, '$1'))
  return parts.length > 0 ? parts.join('') : text
}
