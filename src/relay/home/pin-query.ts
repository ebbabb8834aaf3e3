import { CID } from 'multiformats/cid'
import { PinApiError } from './pin-api-error.ts'
import { PIN_STATUSES, type PinRecord, type PinStatusName } from './pin-records.ts'

/** The API's text matching strategies for `name`. */
const MATCHES = ['exact', 'iexact', 'partial', 'ipartial'] as const
type Match = typeof MATCHES[number]

/** A `GET /pins` query, checked. */
export interface PinQuery {
  /** Normalised (CIDv1 strings); any of them. */
  cids?: Set<string>
  name?: string
  match: Match
  statuses: Set<PinStatusName>
  before?: number
  after?: number
  limit: number
  meta?: Record<string, string>
}

function bad (details: string): PinApiError {
  return new PinApiError(400, 'BAD_REQUEST', details)
}

/** A CID's form for comparing (v0 and v1 of one DAG are the same pin). */
export function normalCid (text: string): string {
  return CID.parse(text).toV1().toString()
}

function list (value: string): string[] {
  return value.split(',').map(s => s.trim()).filter(s => s !== '')
}

function timestamp (param: string, value: string): number {
  // RFC 3339 date-time: a date, a time and an offset (Z or ±hh:mm).
  if (!/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw bad(`"${param}" must be an RFC 3339 date-time such as 2020-07-27T17:32:28.276Z, got "${value}"`)
  }
  return Date.parse(value)
}

/** Reads `GET /pins`'s parameters; throws a 400 `PinApiError` naming the bad one. */
export function parsePinQuery (params: URLSearchParams): PinQuery {
  const known = new Set(['cid', 'name', 'match', 'status', 'before', 'after', 'limit', 'meta'])
  for (const key of params.keys()) if (!known.has(key)) throw bad(`unknown query parameter "${key}"`)
  const query: PinQuery = { match: 'exact', statuses: new Set(['pinned']), limit: 10 }
  const cid = params.get('cid')
  if (cid !== null) {
    const cids = list(cid)
    if (cids.length < 1 || cids.length > 10) throw bad(`"cid" takes 1 to 10 CIDs, got ${cids.length}`)
    try {
      query.cids = new Set(cids.map(normalCid))
    } catch {
      throw bad(`"cid" has something that is not a CID: "${cid}"`)
    }
  }
  const name = params.get('name')
  if (name !== null) {
    if (name.length > 255) throw bad('"name" is at most 255 characters')
    query.name = name
  }
  const match = params.get('match')
  if (match !== null) {
    if (!(MATCHES as readonly string[]).includes(match)) throw bad(`"match" is one of ${MATCHES.join(', ')}, got "${match}"`)
    query.match = match as Match
  }
  const status = params.get('status')
  if (status !== null) {
    const statuses = list(status)
    const unknown = statuses.find(s => !(PIN_STATUSES as readonly string[]).includes(s))
    if (statuses.length === 0 || unknown !== undefined) throw bad(`"status" takes ${PIN_STATUSES.join(', ')}, got "${status}"`)
    query.statuses = new Set(statuses as PinStatusName[])
  }
  const before = params.get('before')
  if (before !== null) query.before = timestamp('before', before)
  const after = params.get('after')
  if (after !== null) query.after = timestamp('after', after)
  const limit = params.get('limit')
  if (limit !== null) {
    const n = Number(limit)
    if (!/^\d+$/.test(limit) || n < 1 || n > 1000) throw bad(`"limit" is a whole number from 1 to 1000, got "${limit}"`)
    query.limit = n
  }
  const meta = params.get('meta')
  if (meta !== null) query.meta = parseMeta(meta, 'meta')
  return query
}

/** A `meta` object: string keys to string values. */
export function parseMeta (value: unknown, what: string): Record<string, string> {
  let parsed = value
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value)
    } catch {
      throw bad(`"${what}" must be a JSON object, got "${value}"`)
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw bad(`"${what}" must be a JSON object of strings`)
  const entries = Object.entries(parsed as Record<string, unknown>)
  if (entries.length > 1000) throw bad(`"${what}" has at most 1000 keys`)
  for (const [key, v] of entries) if (typeof v !== 'string') throw bad(`"${what}.${key}" must be a string`)
  return parsed as Record<string, string>
}

function nameMatches (name: string | undefined, wanted: string, match: Match): boolean {
  if (name === undefined) return false
  switch (match) {
    case 'exact': return name === wanted
    case 'iexact': return name.toLowerCase() === wanted.toLowerCase()
    case 'partial': return name.includes(wanted)
    case 'ipartial': return name.toLowerCase().includes(wanted.toLowerCase())
  }
}

/** Whether a record passes every filter of `query` (the API's AND of filters). */
export function matchesQuery (record: PinRecord, query: PinQuery): boolean {
  if (!query.statuses.has(record.status)) return false
  if (query.cids !== undefined && !query.cids.has(normalCid(record.pin.cid))) return false
  if (query.name !== undefined && !nameMatches(record.pin.name, query.name, query.match)) return false
  const created = Date.parse(record.created)
  if (query.before !== undefined && !(created < query.before)) return false
  if (query.after !== undefined && !(created > query.after)) return false
  if (query.meta !== undefined) {
    for (const [key, value] of Object.entries(query.meta)) if (record.pin.meta?.[key] !== value) return false
  }
  return true
}

/** The API's `PinResults` selection: how many match, and the newest `limit` of them. */
export function selectPins (newestFirst: PinRecord[], query: PinQuery): { count: number, results: PinRecord[] } {
  const matching = newestFirst.filter(r => matchesQuery(r, query))
  return { count: matching.length, results: matching.slice(0, query.limit) }
}
