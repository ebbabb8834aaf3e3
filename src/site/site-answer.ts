/**
 * How a website answers on its own origin: a site path is the gateway's answer for the same
 * path under the site's root (its redirects mapped back onto the site), and a path the site
 * does not have goes through the root's `_redirects` (a SPA's deep links, custom 404s).
 */
import type { BlockSource } from '../gateway/block-source.ts'
import { handleGatewayRequest } from '../gateway/gateway.ts'
import { withRedirects } from '../gateway/redirects.ts'

/** How many sites' `_redirects` answers are kept. */
const KEPT_FILES = 16

/** A root's `_redirects` answer: 200 with the file, or 404. */
interface KeptFile { status: number, headers: Headers, bytes: Uint8Array }

/**
 * The `_redirects` answers of recent site roots, per block source. A root is content
 * addressed, so its file never changes: it is read once, not at every deep link.
 */
const redirectsFiles = new WeakMap<BlockSource, Map<string, KeptFile>>()

/** The root's `_redirects` answer, from the kept ones or read (and kept when it is a 200 or 404). */
async function redirectsFile (get: BlockSource, base: string, read: () => Promise<Response>): Promise<Response> {
  const files = redirectsFiles.get(get) ?? new Map<string, KeptFile>()
  redirectsFiles.set(get, files)
  let kept = files.get(base)
  if (kept === undefined) {
    const response = await read()
    if (response.status !== 200 && response.status !== 404) return response
    kept = { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) }
    files.set(base, kept)
    if (files.size > KEPT_FILES) files.delete(files.keys().next().value as string)
  }
  return new Response(kept.bytes.slice() as Uint8Array<ArrayBuffer>, { status: kept.status, headers: kept.headers })
}

/**
 * Answers `request` on a site's origin whose content is at `base` (`/ipfs/<cid>`, or the path
 * a name points at), reading blocks through `get`. A named site passes `nameMaxAge`, how long
 * (in seconds) what its name points at is used: its answers say that instead of `immutable`,
 * since the name can move.
 */
export async function answerSiteRequest (request: Request, base: string, get: BlockSource, nameMaxAge?: number): Promise<Response> {
  const url = new URL(request.url)
  const answer = async (pathAndQuery: string, asked: RequestInit = { method: request.method, headers: request.headers }): Promise<Response> => {
    const gatewayUrl = new URL(`${base}${pathAndQuery}`, url)
    const response = await handleGatewayRequest(new Request(gatewayUrl, asked), get, { siteRoot: base })
    // The site is its own origin: it needs no sandbox, and must stay a controlled client.
    response.headers.delete('Content-Security-Policy')
    const location = response.headers.get('Location')
    if (location?.startsWith(base) === true) response.headers.set('Location', location.slice(base.length) || '/')
    if (nameMaxAge !== undefined && response.headers.get('Cache-Control')?.includes('immutable') === true) {
      response.headers.set('Cache-Control', `public, max-age=${nameMaxAge}`)
    }
    return response
  }
  // The rules file is read whole, whatever the request asked for (HEAD, a range, a condition).
  return withRedirects(url.pathname, url.search, async pathAndQuery => pathAndQuery === '/_redirects' && url.pathname !== '/_redirects'
    ? redirectsFile(get, base, async () => answer(pathAndQuery, { method: 'GET' }))
    : answer(pathAndQuery))
}
