import { CID } from 'multiformats/cid'
import { GatewayError } from './errors.ts'

/** The response formats the gateway knows, by their `format=` name. */
export const FORMATS = {
  raw: 'application/vnd.ipld.raw',
  car: 'application/vnd.ipld.car',
  tar: 'application/x-tar',
  'dag-json': 'application/vnd.ipld.dag-json',
  'dag-cbor': 'application/vnd.ipld.dag-cbor',
  json: 'application/json',
  cbor: 'application/cbor',
  'ipns-record': 'application/vnd.ipfs.ipns-record'
} as const

/** An explicit response format; absent means the deserialized (web) response. */
export type Format = keyof typeof FORMATS

/** What a CAR response should contain. */
export interface CarOptions {
  scope: 'block' | 'entity' | 'all'
  /** `entity-bytes=from:to` as given: `to` undefined means `*`. */
  entityBytes?: { from: number, to?: number }
  dups: boolean
  /** The CAR version asked for (only 1 is produced). */
  version: number
  /** The block order asked for: `dfs`, or `unk` when none. */
  order: string
}

/** A parsed `/ipfs/` request. */
export interface GatewayRequest {
  method: 'GET' | 'HEAD'
  cid: CID
  /** Path segments after the CID, percent-decoded. */
  segments: string[]
  /** True when the URL path ends with `/`. */
  trailingSlash: boolean
  /** The content path as requested (`/ipfs/<cid>/…`), decoded, for `X-Ipfs-Path`. */
  contentPath: string
  format?: Format
  /** True when the format came from `Accept` and not from `?format=`. */
  formatFromAccept: boolean
  /** True when `Accept` prefers HTML (a browser navigation). */
  wantsHtml: boolean
  car: CarOptions
  range?: string
  ifNoneMatch?: string
  /** `Cache-Control: only-if-cached`: answer from local blocks only, 412 when one is missing. */
  onlyIfCached: boolean
  filename?: string
  download: boolean
  url: URL
  /** For a site on its own origin: the content path its `/` serves (generated pages link within the site). */
  siteRoot?: string
}

function isFormat (name: string): name is Format {
  return Object.hasOwn(FORMATS, name)
}

/** Splits an `Accept` header into media types with parameters, best first. */
function parseAccept (header: string): Array<{ type: string, params: Map<string, string>, q: number }> {
  return header.split(',').map((part, index) => {
    const [type, ...rest] = part.split(';').map(s => s.trim())
    const params = new Map(rest.map(p => {
      const eq = p.indexOf('=')
      return [p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim().replace(/^"|"$/g, '')]
    }))
    const q = params.has('q') ? Number(params.get('q')) : 1
    return { type: type.toLowerCase(), params, q: Number.isNaN(q) ? 0 : q, index }
  }).filter(a => a.type !== '' && a.q > 0).sort((a, b) => b.q - a.q || a.index - b.index)
}

function parseInteger (text: string, what: string): number {
  if (!/^-?\d+$/.test(text)) throw new GatewayError(400, `${what}: "${text}" is not an integer`)
  return Number(text)
}

/** Parses `entity-bytes=from:to` (`to` may be `*`; both may be negative). */
function parseEntityBytes (text: string): { from: number, to?: number } {
  const parts = text.split(':')
  if (parts.length !== 2) throw new GatewayError(400, `entity-bytes must be "from:to", got "${text}"`)
  const from = parseInteger(parts[0], 'entity-bytes from')
  return parts[1] === '*' ? { from } : { from, to: parseInteger(parts[1], 'entity-bytes to') }
}

function carOptions (url: URL, accept: Map<string, string> | undefined): CarOptions {
  const query = url.searchParams
  const scope = query.get('dag-scope') ?? 'all'
  if (scope !== 'block' && scope !== 'entity' && scope !== 'all') {
    throw new GatewayError(400, `dag-scope must be block, entity or all, got "${scope}"`)
  }
  const bytes = query.get('entity-bytes')
  const dups = query.get('car-dups') ?? accept?.get('dups') ?? 'n'
  if (dups !== 'y' && dups !== 'n') throw new GatewayError(400, `car-dups must be y or n, got "${dups}"`)
  const order = query.get('car-order') ?? accept?.get('order') ?? 'dfs'
  if (order !== 'dfs' && order !== 'unk') throw new GatewayError(400, `car-order must be dfs or unk, got "${order}"`)
  const version = Number(query.get('car-version') ?? accept?.get('version') ?? '1')
  if (version !== 1) throw new GatewayError(400, `only CAR version 1 is produced, not "${version}"`)
  return {
    scope: bytes !== null ? 'entity' : scope,
    ...(bytes !== null ? { entityBytes: parseEntityBytes(bytes) } : {}),
    dups: dups === 'y',
    version,
    order
  }
}

/**
 * Parses a request for `/ipfs/<cid>[/path][?query]`. Throws `GatewayError` 400 for a
 * malformed CID, path or parameter, 405 for methods other than GET and HEAD.
 */
export function parseGatewayRequest (request: Request): GatewayRequest {
  const method = request.method
  if (method !== 'GET' && method !== 'HEAD') throw new GatewayError(405, `${method} is not supported; the gateway is read-only`)
  const url = new URL(request.url)
  const parts = url.pathname.split('/')
  if (parts[1] !== 'ipfs' || parts.length < 3 || parts[2] === '') throw new GatewayError(400, 'expected a path of the form /ipfs/<cid>[/path]')
  let decoded: string[]
  try {
    decoded = parts.slice(2).map(decodeURIComponent)
  } catch {
    throw new GatewayError(400, 'the path has invalid percent-encoding')
  }
  let cid: CID
  try {
    cid = CID.parse(decoded[0])
  } catch (err) {
    throw new GatewayError(400, `"${decoded[0]}" is not a valid CID: ${(err as Error).message}`)
  }
  const segments = decoded.slice(1).filter(s => s !== '')
  if (segments.some(s => s === '.' || s === '..')) throw new GatewayError(400, 'the path may not contain "." or ".." segments')

  const queryFormat = url.searchParams.get('format')
  if (queryFormat !== null && !isFormat(queryFormat)) {
    throw new GatewayError(400, `unknown format "${queryFormat}" (use ${Object.keys(FORMATS).join(', ')})`)
  }
  const accepted = parseAccept(request.headers.get('accept') ?? '')
  const byAccept = accepted.map(a => ({ ...a, format: (Object.keys(FORMATS) as Format[]).find(f => FORMATS[f] === a.type) }))
  const fromAccept = byAccept.find(a => a.format !== undefined)
  const format = queryFormat ?? fromAccept?.format
  const carAccept = byAccept.find(a => a.format === 'car')?.params
  return {
    method,
    cid,
    segments,
    trailingSlash: url.pathname.endsWith('/'),
    contentPath: '/ipfs/' + decoded.join('/'),
    ...(format !== undefined ? { format } : {}),
    formatFromAccept: queryFormat === null && format !== undefined,
    wantsHtml: accepted[0]?.type === 'text/html',
    car: format === 'car' ? carOptions(url, carAccept) : { scope: 'all', dups: false, version: 1, order: 'dfs' },
    ...(request.headers.has('range') ? { range: request.headers.get('range') as string } : {}),
    ...(request.headers.has('if-none-match') ? { ifNoneMatch: request.headers.get('if-none-match') as string } : {}),
    onlyIfCached: (request.headers.get('cache-control') ?? '').split(',').some(d => d.trim().toLowerCase() === 'only-if-cached'),
    ...(url.searchParams.has('filename') ? { filename: url.searchParams.get('filename') as string } : {}),
    download: url.searchParams.get('download') === 'true',
    url
  }
}
