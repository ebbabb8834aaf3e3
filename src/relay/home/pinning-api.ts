import { PinApiError } from './pin-api-error.ts'
import { parsePinQuery } from './pin-query.ts'
import { readBody } from './read-body.ts'
import { readPinRequest, type PinService } from './pin-service.ts'
import type { TokenRecord, TokenStore } from './tokens.ts'

/** The largest request body read (a Pin object with 20 origins and some meta is a few KiB). */
export const MAX_PIN_BODY_BYTES = 64 * 1024

/** The API's `Failure` response. */
export function failure (status: number, reason: string, details: string, headers: HeadersInit = {}): Response {
  return Response.json({ error: { reason, details } }, { status, headers })
}

async function bearer (request: Request, tokens: TokenStore): Promise<TokenRecord> {
  const header = request.headers.get('authorization') ?? ''
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (match === null) throw new PinApiError(401, 'UNAUTHORIZED', 'send your access token as "Authorization: Bearer <token>" (npm run relay -- token add <label>)')
  const token = await tokens.check(match[1])
  if (token === undefined) throw new PinApiError(401, 'UNAUTHORIZED', 'this access token is not valid (revoked, or never made here)')
  return token
}

async function jsonBody (request: Request): Promise<unknown> {
  const bytes = await readBody(request, MAX_PIN_BODY_BYTES)
  if (bytes === undefined) throw new PinApiError(413, 'PAYLOAD_TOO_LARGE', `the body is over ${MAX_PIN_BODY_BYTES} bytes`)
  try {
    return JSON.parse(new TextDecoder().decode(bytes))
  } catch {
    throw new PinApiError(400, 'BAD_REQUEST', 'the body is not JSON')
  }
}

function notAllowed (methods: string[]): Response {
  return failure(405, 'METHOD_NOT_ALLOWED', `this endpoint takes ${methods.join(', ')}`, { allow: methods.join(', ') })
}

/**
 * The IPFS Pinning Service API v1.0.0 over the home node's pins: `GET/POST /pins`,
 * `GET/POST/DELETE /pins/{requestid}`. Every request needs a bearer token; a token sees only
 * its own pins (another's are 404). Errors are the spec's `Failure` bodies.
 */
export async function handlePinningRequest (request: Request, pins: PinService, tokens: TokenStore): Promise<Response> {
  try {
    const url = new URL(request.url)
    const token = await bearer(request, tokens)
    const id = /^\/pins\/([^/]+)$/.exec(url.pathname)?.[1]
    if (url.pathname === '/pins') {
      if (request.method === 'GET') {
        const { count, results } = pins.list(token, parsePinQuery(url.searchParams))
        return Response.json({ count, results: results.map(r => pins.statusOf(r)) })
      }
      if (request.method === 'POST') return Response.json(pins.statusOf(await pins.add(token, readPinRequest(await jsonBody(request)))), { status: 202 })
      return notAllowed(['GET', 'POST'])
    }
    if (id === undefined) throw new PinApiError(404, 'NOT_FOUND', `no such endpoint: ${url.pathname}`)
    const requestid = decodeURIComponent(id)
    if (request.method === 'GET') return Response.json(pins.statusOf(pins.get(token, requestid)))
    if (request.method === 'POST') return Response.json(pins.statusOf(await pins.replace(token, requestid, readPinRequest(await jsonBody(request)))), { status: 202 })
    if (request.method === 'DELETE') {
      await pins.remove(token, requestid)
      return new Response(null, { status: 202 })
    }
    return notAllowed(['GET', 'POST', 'DELETE'])
  } catch (err) {
    if (err instanceof PinApiError) return failure(err.status, err.reason, err.message)
    return failure(500, 'INTERNAL_SERVER_ERROR', (err as Error).message)
  }
}
