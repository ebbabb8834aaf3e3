import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'

/** One part of the HTTP port: the paths it takes, who may call it from a page, and its handler. */
export interface HttpRoute {
  /** Whether the route answers this path. */
  matches: (pathname: string) => boolean
  /** `*`: any page may read it (public data); a list: only pages of these origins (the app). */
  cors: '*' | (() => string[])
  /** Request headers a page may send (for the preflight). */
  allowHeaders: string
  methods: string
  handle: (request: Request) => Promise<Response>
}

/** A started HTTP port. */
export interface HttpPort {
  server: Server
  /** `http://host:port`. */
  url: string
  port: number
  close: () => Promise<void>
}

function corsHeaders (route: HttpRoute, origin: string | undefined): Record<string, string> {
  if (route.cors === '*') return { 'access-control-allow-origin': '*' }
  if (origin !== undefined && route.cors().includes(origin)) return { 'access-control-allow-origin': origin, vary: 'Origin' }
  return { vary: 'Origin' }
}

function toRequest (req: IncomingMessage, base: string): Request {
  const headers = new Headers()
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(key, v)
    else if (value !== undefined) headers.set(key, value)
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
  return new Request(new URL(req.url ?? '/', base), {
    method: req.method ?? 'GET',
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {})
  } as RequestInit)
}

async function send (res: ServerResponse, response: Response, extra: Record<string, string>): Promise<void> {
  const headers: Record<string, string | string[]> = {}
  response.headers.forEach((value, key) => { headers[key] = key === 'set-cookie' ? response.headers.getSetCookie() : value })
  const vary = [headers.vary, extra.vary].filter(v => v !== undefined).join(', ')
  res.writeHead(response.status, { ...headers, ...extra, ...(vary === '' ? {} : { vary }) })
  if (response.body === null) {
    res.end()
    return
  }
  const body = Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>)
  res.on('close', () => body.destroy())
  body.pipe(res)
}

/**
 * The home node's HTTP port: each request goes to the first route that takes its path, as a
 * web `Request`, and its `Response` is streamed back. CORS per route: public routes to any
 * page, private ones (the Pinning Service API) to the app's origins only, preflights included.
 */
export async function startHttpPort (host: string, port: number, routes: HttpRoute[], log: (line: string) => void): Promise<HttpPort> {
  const server = createServer((req, res) => {
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined
    const base = `http://${req.headers.host ?? `${host}:${port}`}`
    const pathname = new URL(req.url ?? '/', base).pathname
    const route = routes.find(r => r.matches(pathname))
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`nothing at ${pathname}: this port serves ${'/pins, /ipfs/{cid} and /routing/v1/…'}\n`)
      return
    }
    const cors = corsHeaders(route, origin)
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...cors,
        ...(cors['access-control-allow-origin'] !== undefined ? { 'access-control-allow-methods': route.methods, 'access-control-allow-headers': route.allowHeaders, 'access-control-max-age': '600' } : {})
      }).end()
      return
    }
    route.handle(toRequest(req, base))
      .then(async response => { await send(res, response, cors) })
      .catch((err: Error) => {
        log(`http: ${req.method ?? ''} ${pathname} failed: ${err.message}`)
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', ...cors })
        res.end(`internal error: ${err.message}\n`)
      })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => { resolve() })
  })
  const bound = (server.address() as AddressInfo).port
  const shown = host.includes(':') ? `[${host}]` : host
  return {
    server,
    url: `http://${shown}:${bound}`,
    port: bound,
    close: async () => {
      server.closeAllConnections()
      await new Promise(resolve => server.close(resolve))
    }
  }
}
