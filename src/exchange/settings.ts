import { isLocalHost } from '../lib/local-host.ts'
import { InvalidExchangeSettingError } from './errors.ts'

/** One delegated routing endpoint or trustless gateway, and whether it is used. */
export interface SourceSetting {
  /** An origin: `https://host[:port]`, or `http://` on a loopback host. */
  url: string
  enabled: boolean
}

/** How the node exchanges content, kept in IndexedDB and edited on the settings page. */
export interface ExchangeSettings {
  /** Serve stored blocks to peers over Bitswap ("Share stored blocks with peers"). */
  share: boolean
  /** Delegated Routing V1 HTTP endpoints that find providers. */
  routers: SourceSetting[]
  /** Trustless gateways blocks are fetched from. */
  gateways: SourceSetting[]
  /**
   * DNS-over-HTTPS resolvers DNSLink names are looked up with (full URLs, such as
   * `https://delegated-ipfs.dev/dns-query`). Absent (settings saved before names): the default.
   */
  resolvers?: SourceSetting[]
}

/** The DNS-over-HTTPS resolver used until the user changes the list (the one the IPFS service-worker gateway uses). */
export const DEFAULT_DNS_RESOLVERS: SourceSetting[] = [{ url: 'https://delegated-ipfs.dev/dns-query', enabled: true }]

/** Settings before the user changes anything: public endpoints, sharing on. */
export const DEFAULT_EXCHANGE_SETTINGS: ExchangeSettings = {
  share: true,
  routers: [{ url: 'https://delegated-ipfs.dev', enabled: true }],
  gateways: [{ url: 'https://trustless-gateway.link', enabled: true }],
  resolvers: DEFAULT_DNS_RESOLVERS
}

/** Sources a user may list at most, per kind. */
export const MAX_SOURCES = 16

/**
 * A source URL as an origin (with `withPath`, a URL with a path: DNS-over-HTTPS resolvers):
 * `https:` anywhere, `http:` only on loopback (used only while local addresses are allowed,
 * like loopback relays). Throws `InvalidExchangeSettingError`.
 */
export function checkSourceUrl (value: unknown, what: string, withPath = false): string {
  if (typeof value !== 'string') throw new InvalidExchangeSettingError(`${what} must be a URL`)
  let url: URL
  try {
    url = new URL(value.trim())
  } catch {
    throw new InvalidExchangeSettingError(`"${value}" is not a URL`)
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLocalHost(url.hostname))) {
    throw new InvalidExchangeSettingError(`"${value}": ${what} must use https:// (http:// only on loopback)`)
  }
  if (withPath) {
    if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
      throw new InvalidExchangeSettingError(`"${value}": give ${what} as a URL without query or credentials, like https://example.org/dns-query`)
    }
    return url.origin + url.pathname.replace(/\/$/, '')
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new InvalidExchangeSettingError(`"${value}": give ${what} as an origin only, like https://example.org`)
  }
  return url.origin
}

function checkSources (value: unknown, what: string, withPath = false): SourceSetting[] {
  if (!Array.isArray(value)) throw new InvalidExchangeSettingError(`${what}s must be a list`)
  if (value.length > MAX_SOURCES) throw new InvalidExchangeSettingError(`at most ${MAX_SOURCES} ${what}s`)
  const seen = new Set<string>()
  return value.map((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) throw new InvalidExchangeSettingError(`each ${what} needs a url and enabled`)
    const { url, enabled } = entry as { url?: unknown, enabled?: unknown }
    if (typeof enabled !== 'boolean') throw new InvalidExchangeSettingError(`"enabled" of a ${what} must be true or false`)
    const origin = checkSourceUrl(url, what, withPath)
    if (seen.has(origin)) throw new InvalidExchangeSettingError(`${origin} is listed twice`)
    seen.add(origin)
    return { url: origin, enabled }
  })
}

/** Checks settings from the UI; throws `InvalidExchangeSettingError` naming the bad value. */
export function checkExchangeSettings (value: unknown): ExchangeSettings {
  if (typeof value !== 'object' || value === null) throw new InvalidExchangeSettingError('exchange settings must be an object')
  const v = value as Partial<Record<keyof ExchangeSettings, unknown>>
  if (typeof v.share !== 'boolean') throw new InvalidExchangeSettingError('"share" must be true or false')
  return {
    share: v.share,
    routers: checkSources(v.routers, 'routing endpoint'),
    gateways: checkSources(v.gateways, 'gateway'),
    resolvers: v.resolvers === undefined ? DEFAULT_DNS_RESOLVERS : checkSources(v.resolvers, 'DNS-over-HTTPS resolver', true)
  }
}

/** The URLs of a list that are used now: enabled, and loopback `http:` only while local addresses are allowed. */
export function usableSources (sources: SourceSetting[], allowLocal: boolean): string[] {
  return sources.filter(s => s.enabled && (allowLocal || new URL(s.url).protocol === 'https:')).map(s => s.url)
}
