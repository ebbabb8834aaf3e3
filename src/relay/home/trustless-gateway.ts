import { handleGatewayRequest } from '../../gateway/gateway.ts'
import { GatewayError } from '../../gateway/errors.ts'
import { parseGatewayRequest } from '../../gateway/request.ts'
import type { KeptBlocks } from './kept-blocks.ts'

/** The responses a trustless gateway gives: verifiable blocks and CARs only. */
const TRUSTLESS_FORMATS = new Set(['raw', 'car'])

/**
 * `GET /ipfs/<cid>[/path]` on the home node's HTTP port, as the trustless gateway spec says
 * (`?format=raw|car` or the matching `Accept`), from the kept blocks only — the same gateway
 * code as the app's, so the CAR options, Etags and caching are the ones checked by the
 * conformance suite. Anything else is 406: the node never serves content as web pages on its
 * own origin.
 */
export async function handleTrustlessRequest (request: Request, kept: KeptBlocks): Promise<Response> {
  let format: string | undefined
  try {
    format = parseGatewayRequest(request).format
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err
    // The gateway answers a request it cannot read with the right error itself.
    return handleGatewayRequest(request, async cid => kept.getBytes(cid))
  }
  if (format === undefined || !TRUSTLESS_FORMATS.has(format)) {
    return new Response('this is a trustless gateway: ask for ?format=raw or ?format=car (or Accept: application/vnd.ipld.raw or application/vnd.ipld.car)\n', {
      status: 406,
      headers: { 'content-type': 'text/plain; charset=utf-8', vary: 'Accept' }
    })
  }
  return handleGatewayRequest(request, async cid => kept.getBytes(cid))
}
