import { InvalidNameError, InvalidNameValueError, NameChainError, NameUnavailableError } from '../names/errors.ts'
import { IPNS_RECORD_TYPE } from '../names/routing-records.ts'
import { parseName, type IpnsKeyName } from '../names/name.ts'
import type { NameStep, Resolution, ResolveOptions } from '../names/name-resolver.ts'
import { errorResponse } from './gateway.ts'
import { securityHeaders } from './security-headers.ts'

/** What the gateway needs of names: resolving them, and a name's signed record. */
export interface GatewayNames {
  resolve(name: string, segments: string[], options: ResolveOptions): Promise<Resolution>
  record(name: IpnsKeyName, options: ResolveOptions): Promise<{ step: NameStep, record: Uint8Array }>
}

/**
 * Answers `/ipns/<name>[/path]`: the name is resolved (kept answers first, see
 * `NameResolver`), and the `/ipfs/` request it stands for is answered by `answer` — so every
 * format, range and header of the `/ipfs/` routes works — then told where it came from:
 * `X-Ipfs-Path` is the `/ipns/` path asked for, `Cache-Control` lasts as long as the name's
 * TTL (not immutable: a name moves), `Last-Modified` is when a source last gave the answer,
 * and `Cairn-Name-State` says whether it is fresh, stale (being refreshed) or only kept
 * (offline; `expired` past the record's EOL). `?format=ipns-record` (or its `Accept`) gives the
 * signed record as it was received (IPIP-351). `Cache-Control: only-if-cached` asks no source.
 */
export async function handleNameRequest (request: Request, names: GatewayNames, answer: (ipfs: Request) => Promise<Response>): Promise<Response> {
  const url = new URL(request.url)
  const parts = url.pathname.split('/')
  const contentPath = url.pathname
  const fail = (status: number, message: string, details: string[] = []): Response => {
    const response = errorResponse(status, message, undefined, details)
    response.headers.set('X-Ipfs-Path', contentPath)
    return response
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') return fail(405, `${request.method} is not supported; the gateway is read-only`)
  let name: string
  let segments: string[]
  try {
    [name, ...segments] = parts.slice(2).map(decodeURIComponent)
  } catch {
    return fail(400, 'the path has invalid percent-encoding')
  }
  segments = segments.filter(s => s !== '')
  const onlyIfCached = (request.headers.get('cache-control') ?? '').split(',').some(d => d.trim().toLowerCase() === 'only-if-cached')
  const options: ResolveOptions = { offline: onlyIfCached, signal: request.signal }
  try {
    if (url.searchParams.get('format') === 'ipns-record' || (url.searchParams.get('format') === null && (request.headers.get('accept') ?? '').includes(IPNS_RECORD_TYPE))) {
      if (segments.length > 0) return fail(400, 'an IPNS record is asked for by the name alone: /ipns/<name>?format=ipns-record, with no path')
      return await recordResponse(name, contentPath, names, options, request.method === 'HEAD')
    }
    const resolution = await names.resolve(name, segments, options)
    const target = new URL(`/ipfs/${resolution.cid}/${resolution.segments.map(encodeURIComponent).join('/')}`, url.origin)
    if (url.pathname.endsWith('/') && resolution.segments.length > 0) target.pathname += '/'
    target.search = url.search
    const response = await answer(new Request(target, { method: request.method, headers: request.headers, signal: request.signal }))
    response.headers.set('X-Ipfs-Path', contentPath)
    // A directory asked for without its trailing slash is redirected on the name, not the CID.
    const location = response.headers.get('Location')
    const ipfsBase = target.pathname.replace(/\/$/, '')
    if (location?.startsWith(ipfsBase) === true) response.headers.set('Location', `${url.pathname.replace(/\/$/, '')}${location.slice(ipfsBase.length)}`)
    if (response.status < 400) {
      response.headers.set('Cache-Control', `public, max-age=${remainingTtl(resolution.steps)}`)
      response.headers.set('Last-Modified', new Date(resolution.asOf).toUTCString())
    }
    response.headers.set('Cairn-Name-State', stateOf(resolution.steps))
    return response
  } catch (err) {
    if (err instanceof InvalidNameError) return fail(400, err.message)
    if (err instanceof NameUnavailableError) {
      const details = err.attempts.map(a => `${a.source}: ${a.outcome}`)
      if (onlyIfCached) return fail(412, err.message, details)
      return fail(err.notFound ? 404 : 504, err.message, details)
    }
    if (err instanceof NameChainError) return fail(500, err.message)
    if (err instanceof InvalidNameValueError) return fail(502, err.message)
    const error = err as Error | undefined
    return fail(500, `${error?.name ?? 'Error'}: ${error?.message ?? String(err)}`)
  }
}

/** The signed record of an IPNS name, as received (IPIP-351). */
async function recordResponse (name: string, contentPath: string, names: GatewayNames, options: ResolveOptions, head: boolean): Promise<Response> {
  const parsed = parseName(name)
  if (parsed.kind !== 'ipns') throw new InvalidNameError(`${parsed.name} is a DNSLink name: it has no IPNS record (ask for /ipns/<key> instead)`)
  const { step, record } = await names.record(parsed, options)
  const headers = new Headers(securityHeaders())
  headers.set('Content-Type', IPNS_RECORD_TYPE)
  headers.set('Content-Disposition', `attachment; filename="${parsed.name}.ipns-record"`)
  headers.set('X-Ipfs-Path', contentPath)
  headers.set('Cache-Control', `public, max-age=${remainingTtl([step])}`)
  headers.set('Last-Modified', new Date(step.fetchedAt).toUTCString())
  headers.set('Etag', `"${parsed.name}.${step.sequence ?? ''}"`)
  headers.set('Cairn-Name-State', stateOf([step]))
  headers.set('Vary', 'Accept')
  return new Response(head ? null : new Uint8Array(record), { status: 200, headers })
}

/** What is left of the shortest TTL of a chain, in whole seconds (0 once past it): the path gateway spec's `max-age`. */
function remainingTtl (steps: NameStep[]): number {
  const now = Date.now()
  return Math.max(0, Math.floor(Math.min(...steps.map(s => s.fetchedAt + s.ttlMs - now)) / 1000))
}

/** `fresh`, `stale` or `kept` (the least fresh step of a chain), plus `expired` when a kept record is past its EOL. */
function stateOf (steps: NameStep[]): string {
  const state = steps.some(s => s.state === 'kept') ? 'kept' : steps.some(s => s.state === 'stale') ? 'stale' : 'fresh'
  return steps.some(s => s.expired) ? `${state}; expired` : state
}
