import { isLocalHost } from '../lib/local-host.ts'

/** A pinning service the user added: where it is and the token it gave them. */
export interface RemoteService {
  /** Chosen by Cairn, stable: pins refer to it. */
  id: string
  name: string
  /** The API's base URL, e.g. `https://api.pinata.cloud/psa`. */
  endpoint: string
  token: string
}

/** What the user set: their services, and which of them keep new pins online by default. */
export interface RemoteSettings {
  services: RemoteService[]
  /** Service ids every new add and import is kept online on. */
  keepNew: string[]
}

/** Before the user adds any: none, and nothing kept online by default. */
export const DEFAULT_REMOTE_SETTINGS: RemoteSettings = { services: [], keepNew: [] }

/** The id of the home node the app was served with (`npm start`): present on its own, never saved. */
export const BUNDLED_SERVICE_ID = 'bundled'

/** Services a user may list at most. */
export const MAX_SERVICES = 16

/** A pinning service setting that cannot be used. */
export class InvalidRemoteSettingError extends Error {
  static override readonly name = 'InvalidRemoteSettingError'
  override name = 'InvalidRemoteSettingError'
}

/**
 * A service's endpoint as Cairn keeps it: `https:` anywhere, `http:` on loopback only, no
 * query or credentials, no trailing slash. Throws `InvalidRemoteSettingError`.
 */
export function checkEndpoint (value: unknown): string {
  if (typeof value !== 'string' || !URL.canParse(value.trim())) throw new InvalidRemoteSettingError(`"${String(value)}" is not a URL`)
  const url = new URL(value.trim())
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLocalHost(url.hostname))) {
    throw new InvalidRemoteSettingError(`"${String(value)}": a pinning service must use https:// (http:// only on loopback)`)
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new InvalidRemoteSettingError(`"${String(value)}": give the endpoint without query or credentials, like https://api.example.org/psa`)
  }
  return url.origin + url.pathname.replace(/\/+$/, '')
}

/** Checks settings sent by a page; throws `InvalidRemoteSettingError` naming the problem. */
export function checkRemoteSettings (value: unknown): RemoteSettings {
  const v = value as Partial<RemoteSettings> | null
  if (v === null || typeof v !== 'object' || !Array.isArray(v.services) || !Array.isArray(v.keepNew)) {
    throw new InvalidRemoteSettingError('pinning settings are { services: [...], keepNew: [...] }')
  }
  if (v.services.length > MAX_SERVICES) throw new InvalidRemoteSettingError(`at most ${MAX_SERVICES} pinning services`)
  const ids = new Set<string>()
  const services = v.services.map((entry: unknown) => {
    const s = entry as Partial<RemoteService> | null
    if (s === null || typeof s !== 'object') throw new InvalidRemoteSettingError('each pinning service needs an id, a name, an endpoint and a token')
    if (typeof s.id !== 'string' || s.id === '' || s.id === BUNDLED_SERVICE_ID || ids.has(s.id)) throw new InvalidRemoteSettingError(`a pinning service's id must be unique (got ${JSON.stringify(s.id)})`)
    ids.add(s.id)
    if (typeof s.name !== 'string' || s.name.trim() === '' || s.name.length > 100) throw new InvalidRemoteSettingError('a pinning service needs a name of at most 100 characters')
    if (typeof s.token !== 'string' || s.token.trim() === '') throw new InvalidRemoteSettingError(`"${s.name}" needs its access token`)
    return { id: s.id, name: s.name.trim(), endpoint: checkEndpoint(s.endpoint), token: s.token.trim() }
  })
  for (const id of v.keepNew) {
    if (typeof id !== 'string' || (id !== BUNDLED_SERVICE_ID && !ids.has(id))) throw new InvalidRemoteSettingError(`"keep new pins online" names a service that is not listed: ${JSON.stringify(id)}`)
  }
  return { services, keepNew: [...new Set(v.keepNew)] }
}
