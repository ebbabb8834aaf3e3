import type { IncomingMessage, ServerResponse } from 'node:http'
import { parseName } from '../../src/names/name.ts'
import { startHttpServer } from './exchange-peers.ts'
import { decode as decodeDns, encode as encodeDns, RECURSION_AVAILABLE, RECURSION_DESIRED } from '@dnsquery/dns-packet'

/** A local HTTP server for name tests: its URL, the requests it saw, and stop. */
export interface LocalServer {
  url: string
  requests: string[]
  stop: () => Promise<void>
}

/** A local HTTP server answering across origins (CORS, preflights), handing `handle` each request's body. */
async function listen (handle: (req: IncomingMessage, res: ServerResponse, body: Uint8Array) => void): Promise<LocalServer> {
  return startHttpServer(async (req, res) => {
    // Browsers on the app's origin call it across origins, as they call public endpoints.
    res.setHeader('Access-Control-Allow-Origin', '*')
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, PUT')
      res.setHeader('Access-Control-Allow-Headers', 'content-type, accept')
      res.end()
      return
    }
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    handle(req, res, new Uint8Array(Buffer.concat(chunks)))
  })
}

/** A Delegated Routing V1 server for IPNS: `records` by name (`k51…`), and what PUT stored. */
export interface RoutingServer extends LocalServer {
  records: Map<string, Uint8Array>
  /** Makes every answer fail with this status (e.g. 500), or answer normally (undefined). */
  failWith: number | undefined
}

/**
 * `GET /routing/v1/ipns/{name}` answers the record kept for the name (404 without one), as
 * `application/vnd.ipfs.ipns-record`; `PUT` keeps the body as the name's record, unchecked.
 * Names in any base are one name (`records` is keyed by the base36 form).
 */
export async function startRoutingServer (): Promise<RoutingServer> {
  const records = new Map<string, Uint8Array>()
  const state: { failWith: number | undefined } = { failWith: undefined }
  const server = await listen((req, res, body) => {
    const match = /^\/routing\/v1\/ipns\/([^/?]+)/.exec(req.url ?? '')
    if (state.failWith !== undefined) { res.statusCode = state.failWith; res.end('failing on purpose'); return }
    if (match === null) { res.statusCode = 404; res.end(); return }
    // A name is a libp2p-key CID in any base: kept under its base36 form (`k51…`).
    const name = parseName(decodeURIComponent(match[1])).name
    if (req.method === 'PUT') {
      records.set(name, body)
      res.end()
      return
    }
    const record = records.get(name)
    if (record === undefined) { res.statusCode = 404; res.end('no record'); return }
    res.setHeader('Content-Type', 'application/vnd.ipfs.ipns-record')
    res.end(Buffer.from(record))
  })
  return Object.defineProperties(Object.assign(server, { records }), {
    failWith: { get: () => state.failWith, set: (value: number | undefined) => { state.failWith = value }, enumerable: true }
  }) as RoutingServer
}

/** A DNS-over-HTTPS server: TXT records by name, with their TTL. */
export interface DohServer extends LocalServer {
  txt: Map<string, { texts: string[], ttl: number }>
}

/**
 * Answers TXT questions from `txt` over DNS-over-HTTPS, in the RFC 8484 wire format
 * (`GET ?dns=`) and the JSON API (`GET ?name=&type=`), or in one form only (`forms`), as real
 * resolvers differ. A name it does not have is NXDOMAIN.
 */
export async function startDohServer (forms: Array<'wire' | 'json'> = ['wire', 'json']): Promise<DohServer> {
  const txt = new Map<string, { texts: string[], ttl: number }>()
  const server = await listen((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const query = url.searchParams.get('dns')
    if (query !== null && forms.includes('wire')) {
      const question = decodeDns(Buffer.from(query, 'base64url')).questions?.[0]
      const found = question === undefined ? undefined : txt.get(question.name)
      res.setHeader('Content-Type', 'application/dns-message')
      res.end(Buffer.from(encodeDns({
        type: 'response',
        id: 0,
        flags: RECURSION_DESIRED | RECURSION_AVAILABLE | (found === undefined ? 3 : 0),
        questions: question === undefined ? [] : [question],
        answers: found === undefined || question === undefined ? [] : found.texts.map(text => ({ type: 'TXT' as const, name: question.name, ttl: found.ttl, class: 'IN' as const, data: [text] }))
      })))
      return
    }
    const name = url.searchParams.get('name')
    if (name !== null && forms.includes('json')) {
      const found = txt.get(name.replace(/\.$/, ''))
      res.setHeader('Content-Type', 'application/dns-json')
      res.end(JSON.stringify({
        Status: found === undefined ? 3 : 0,
        TC: false, RD: true, RA: true, AD: false, CD: false,
        Question: [{ name, type: 16 }],
        Answer: (found?.texts ?? []).map(text => ({ name, type: 16, TTL: found?.ttl ?? 0, data: `"${text}"` }))
      }))
      return
    }
    res.statusCode = 415
    res.end('unsupported form')
  })
  return Object.assign(server, { txt })
}
