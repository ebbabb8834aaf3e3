/**
 * How a website answers on its own origin: a site path is the gateway's answer for the same
 * path under the site's root (its redirects mapped back onto the site), and a path the site
 * does not have goes through the root's `_redirects` (a SPA's deep links, custom 404s).
 */
import type { BlockSource } from '../gateway/block-source.ts'
import { handleGatewayRequest } from '../gateway/gateway.ts'
import { withRedirects } from '../gateway/redirects.ts'

/**
 * Answers `request` on a site's origin whose content is at `base` (`/ipfs/<cid>`, or the path
 * a name points at), reading blocks through `get`.
 */
export async function answerSiteRequest (request: Request, base: string, get: BlockSource): Promise<Response> {
  const url = new URL(request.url)
  const answer = async (pathAndQuery: string): Promise<Response> => {
    const gatewayUrl = new URL(`${base}${pathAndQuery}`, url)
    const response = await handleGatewayRequest(new Request(gatewayUrl, { method: request.method, headers: request.headers }), get)
    // The site is its own origin: it needs no sandbox, and must stay a controlled client.
    response.headers.delete('Content-Security-Policy')
    const location = response.headers.get('Location')
    if (location?.startsWith(base) === true) response.headers.set('Location', location.slice(base.length) || '/')
    return response
  }
  return withRedirects(url.pathname, url.search, answer)
}
