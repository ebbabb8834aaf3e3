/// <reference lib="webworker" />
import { CID } from 'multiformats/cid'
import { errorResponse, handleGatewayRequest } from '../gateway/gateway.ts'
import { handleNameRequest } from '../gateway/name-request.ts'
import { hostRouteResponse, ipfsLabel, ipnsLabel, uriRoute } from '../site/subdomain.ts'
import { securityHeaders } from '../gateway/security-headers.ts'
import { entityKind } from '../unixfs/reader.ts'
import type { Blocks } from '../content/blocks.ts'
import { FetchSession } from '../content/fetch-session.ts'
import { getCairn } from './cairn-instance.ts'
import { serverTiming } from './start-timing.ts'
import type { FetchRoute } from './route.ts'

declare const self: ServiceWorkerGlobalScope

/** Whether a request may move to a site's own origin: a plain page navigation, no explicit format or download. */
function mayMove (request: Request, navigate: boolean): boolean {
  if (!navigate || request.method !== 'GET') return false
  const params = new URL(request.url).searchParams
  return !params.has('format') && !params.has('download') && !params.has('filename')
}

/**
 * Whether a navigation is to a website (a UnixFS directory): it goes to the app's site viewer,
 * which opens it on its own origin (`<cid>.ipfs.localhost`, `<name>.ipns.ipfs.localhost`) so
 * its CSS, scripts, images and fetches work. False for everything else, which the sandboxed
 * path gateway answers.
 */
async function isWebsite (request: Request, blocks: Blocks, session: FetchSession): Promise<boolean> {
  const cid = rootOf(new URL(request.url))
  if (cid?.code !== 0x70) return false
  // The root is fetched if it is not stored (unless only-if-cached); a failure is left to the
  // gateway, which answers it without asking again (same session).
  const offline = /only-if-cached/i.test(request.headers.get('Cache-Control') ?? '')
  const bytes = await blocks.get(cid, { offline, session, signal: request.signal }).catch(() => undefined)
  if (bytes === undefined) return false
  const kind = entityKind({ cid, bytes })
  return kind === 'directory' || kind === 'hamt'
}

/** Whether a gateway answer is a UnixFS file's own HTML (not a page Cairn generated, not an error). */
function isHtmlFile (ipfs: Request, response: Response): boolean {
  const code = rootOf(new URL(ipfs.url))?.code
  return response.ok && (code === 0x70 || code === 0x55) && /^text\/html/i.test(response.headers.get('Content-Type') ?? '')
}

/** The root CID of an `/ipfs/<cid>/…` URL, if it has one. */
function rootOf (url: URL): CID | undefined {
  const first = url.pathname.split('/')[2]
  try {
    return CID.parse(decodeURIComponent(first ?? ''))
  } catch {
    return undefined
  }
}

/** True for requests the gateway answers: `/ipfs/…` and `/ipns/…` on the app's own origin. */
export function isGatewayRequest (url: URL, origin: string): boolean {
  return url.origin === origin && (url.pathname.startsWith('/ipfs/') || url.pathname.startsWith('/ipns/'))
}

/** `response` with a `Server-Timing` header: the answer's time, and the worker's start for the first one after it. */
function withServerTiming (response: Response, fetchAt: number): Response {
  const headers = new Headers(response.headers)
  headers.append('Server-Timing', serverTiming(fetchAt))
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers })
}

/** The `/ipfs/` and `/ipns/` routes, answered before the precache sees them. */
export const gatewayRoute: FetchRoute = {
  name: 'gateway',
  canHandle: url => isGatewayRequest(url, self.location.origin),
  handle: async event => {
    const fetchAt = performance.now()
    return withServerTiming(await answerGatewayRequest(event.request), fetchAt)
  }
}

/**
 * Answers a gateway request through the node's `Blocks`: stored blocks at once, missing ones
 * fetched (one fetch session per request, stopped when the browser cancels the request), or
 * only stored ones under `only-if-cached`. Fetched blocks are verified and kept (the offline
 * cache); nothing else in the node changes, whoever sends the request. Navigations to
 * websites are sent to the site viewer. `/ipns/` names are resolved to the `/ipfs/` content
 * they name (a named website opens in the site viewer on the name's own origin).
 */
export async function answerGatewayRequest (request: Request): Promise<Response> {
  let cairn
  try {
    cairn = await getCairn()
  } catch (err) {
    return errorResponse(503, `The node could not start: ${(err as Error).message}`)
  }
  const { blocks, library, names } = cairn
  const navigate = request.mode === 'navigate'
  // One `/ipfs/` request: a website or an HTML page navigated to moves to the site viewer (at
  // `site`, when the root can have an origin), the rest goes to the sandboxed gateway.
  const answerIpfs = async (ipfs: Request, site: string | undefined): Promise<Response> => {
    const session = new FetchSession()
    const moves = site !== undefined && mayMove(ipfs, navigate)
    const toSite = (): Response => new Response(null, { status: 302, headers: { ...securityHeaders(), Location: site ?? '/', 'Cache-Control': 'no-store' } })
    if (moves && await isWebsite(ipfs, blocks, session)) return toSite()
    const response = await handleGatewayRequest(ipfs, async (cid, options) => blocks.get(cid, { ...options, session, signal: request.signal }))
    if (moves && isHtmlFile(ipfs, response)) {
      // Never run a page with the app's privileges: it opens on its own origin, scripts and all.
      await response.body?.cancel()
      return toSite()
    }
    const root = rootOf(new URL(ipfs.url))
    // What was opened joins "recently viewed" (at most one write a minute per root).
    if (response.ok && root !== undefined) void library.touch(root).catch(() => {})
    return response
  }
  const url = new URL(request.url)
  // `/ipfs/?uri=ipfs://…` (a protocol handler's form) goes to the content path it names.
  const routed = uriRoute(url.pathname, url.search)
  if (routed !== undefined) return hostRouteResponse(routed)
  const [, namespace, first = '', ...rest] = url.pathname.split('/')
  // A named website opens on the name's own origin and follows the name; content on its CID's.
  let root: string
  try {
    root = decodeURIComponent(first)
  } catch {
    root = first
  }
  // A root or name too long for a DNS label stays on the sandboxed path gateway.
  const label = namespace === 'ipns' ? ipnsLabel(root) : ipfsLabel(root)
  const site = 'label' in label ? `/#/site/${namespace === 'ipns' ? 'ipns/' : ''}${label.label}/${rest.join('/')}${url.search}` : undefined
  if (namespace === 'ipns') return handleNameRequest(request, names, async ipfs => answerIpfs(ipfs, site))
  return answerIpfs(request, site)
}
