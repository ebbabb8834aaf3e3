import { multiaddr } from '@multiformats/multiaddr'
import { CID } from 'multiformats/cid'
import { InvalidIpnsRecordError, InvalidNameError } from '../../names/errors.ts'
import { MAX_IPNS_RECORD_BYTES } from '../../names/ipns-record.ts'
import { parseName, type IpnsKeyName } from '../../names/name.ts'
import { IPNS_RECORD_TYPE } from '../../names/routing-records.ts'
import type { KeptBlocks } from './kept-blocks.ts'
import type { NameRecords } from './name-records.ts'
import { readBody } from './read-body.ts'

/** Names kept at most; a name already kept can always be updated. */
export const MAX_KEPT_NAMES = 10_000

/** What the routing endpoint answers from. */
export interface RoutingSources {
  kept: KeptBlocks
  names: NameRecords
  /** The node's PeerId. */
  peerId: string
  /** Its libp2p addresses (without `/p2p/`) and its HTTP gateway's, e.g. `/ip4/…/tcp/…/http`. */
  addrs: () => string[]
}

function text (status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body + '\n', { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } })
}

function list (value: string | null): string[] | undefined {
  return value === null ? undefined : value.split(',').map(s => s.trim()).filter(s => s !== '')
}

/** `filter-addrs`: an address passes when it has a listed protocol and none of the `!` ones. */
function filterAddrs (addrs: string[], filter: string[] | undefined): string[] {
  if (filter === undefined) return addrs
  const wanted = filter.filter(f => !f.startsWith('!'))
  const refused = filter.filter(f => f.startsWith('!')).map(f => f.slice(1))
  return addrs.filter(addr => {
    const names = multiaddr(addr).getComponents().map(c => c.name)
    return (wanted.length === 0 || wanted.some(w => names.includes(w))) && !refused.some(r => names.includes(r))
  })
}

async function providers (url: URL, request: Request, sources: RoutingSources, cidText: string): Promise<Response> {
  let cid: CID
  try {
    cid = CID.parse(cidText)
  } catch {
    return text(400, `"${cidText}" is not a CID`)
  }
  const protocols = ['transport-bitswap', 'transport-ipfs-gateway-http']
  const wantedProtocols = list(url.searchParams.get('filter-protocols'))
  const found = await sources.kept.has(cid) && (wantedProtocols === undefined || wantedProtocols.some(p => protocols.includes(p)))
  const peer = { Schema: 'peer', ID: sources.peerId, Addrs: filterAddrs(sources.addrs(), list(url.searchParams.get('filter-addrs'))), Protocols: protocols }
  const results = found ? [peer] : []
  // Kept content stays kept for a while; an empty answer may change at the next pin.
  const cache = found ? 'public, max-age=300, stale-while-revalidate=172800, stale-if-error=172800' : 'public, max-age=15'
  const headers = { 'cache-control': cache, vary: 'Accept' }
  if ((request.headers.get('accept') ?? '').includes('application/x-ndjson')) {
    return new Response(results.map(r => JSON.stringify(r) + '\n').join(''), { headers: { ...headers, 'content-type': 'application/x-ndjson' } })
  }
  return Response.json({ Providers: results }, { headers })
}

async function ipns (request: Request, sources: RoutingSources, nameText: string): Promise<Response> {
  let name: IpnsKeyName
  try {
    const parsed = parseName(decodeURIComponent(nameText))
    if (parsed.kind !== 'ipns') return text(400, `"${nameText}" is a domain; this endpoint keeps IPNS records of keys`)
    name = parsed
  } catch (err) {
    if (err instanceof InvalidNameError) return text(400, err.message)
    throw err
  }
  if (request.method === 'GET' || request.method === 'HEAD') {
    const kept = sources.names.get(name)
    if (kept === undefined) return text(404, `no record for ${name.name} is kept here`, { 'cache-control': 'public, max-age=15' })
    const left = Math.max(0, Math.floor((kept.validUntil - Date.now()) / 1000))
    const maxAge = Math.min(Math.floor(kept.ttlMs / 1000), left)
    return new Response(request.method === 'HEAD' ? null : kept.bytes as Uint8Array<ArrayBuffer>, {
      headers: {
        'content-type': IPNS_RECORD_TYPE,
        'cache-control': `public, max-age=${maxAge}, stale-while-revalidate=${left}, stale-if-error=${left}`,
        etag: `"${name.name}.${kept.sequence}"`,
        vary: 'Accept'
      }
    })
  }
  if (request.method !== 'PUT') return text(405, 'use GET or PUT', { allow: 'GET, HEAD, PUT' })
  if (!(request.headers.get('content-type') ?? '').startsWith(IPNS_RECORD_TYPE)) {
    return text(406, `send the record with Content-Type: ${IPNS_RECORD_TYPE}`)
  }
  if (sources.names.get(name) === undefined && sources.names.size >= MAX_KEPT_NAMES) {
    return text(507, `this node keeps at most ${MAX_KEPT_NAMES} names and is full`)
  }
  const bytes = await readBody(request, MAX_IPNS_RECORD_BYTES)
  if (bytes === undefined) return text(413, `a record is at most ${MAX_IPNS_RECORD_BYTES} bytes`)
  try {
    const kept = await sources.names.put(name, bytes)
    return text(200, `kept: sequence ${kept.sequence}, valid until ${new Date(kept.validUntil).toISOString()}`)
  } catch (err) {
    if (err instanceof InvalidIpnsRecordError) return text(err.problem === 'rolled-back' ? 409 : 400, err.message)
    throw err
  }
}

/**
 * Delegated Routing V1 on the home node's HTTP port: `GET /routing/v1/providers/{cid}` names
 * the node itself for every block it keeps (Bitswap and its trustless gateway), and
 * `GET/PUT /routing/v1/ipns/{name}` keeps its users' signed IPNS records and serves them.
 */
export async function handleRoutingRequest (request: Request, sources: RoutingSources): Promise<Response> {
  const url = new URL(request.url)
  const provider = /^\/routing\/v1\/providers\/([^/]+)$/.exec(url.pathname)
  if (provider !== null) {
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'use GET', { allow: 'GET, HEAD' })
    return providers(url, request, sources, provider[1])
  }
  const name = /^\/routing\/v1\/ipns\/([^/]+)$/.exec(url.pathname)
  if (name !== null) return ipns(request, sources, name[1])
  return text(404, `no such routing endpoint: ${url.pathname} (this node answers /routing/v1/providers/{cid} and /routing/v1/ipns/{name})`)
}
