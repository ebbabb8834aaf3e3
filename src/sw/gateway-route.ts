import { errorResponse, handleGatewayRequest } from '../gateway/gateway.ts'
import { getServices } from './node-instance.ts'

/** True for requests the gateway answers: `/ipfs/…` and `/ipns/…` on the app's own origin. */
export function isGatewayRequest (url: URL, origin: string): boolean {
  return url.origin === origin && (url.pathname.startsWith('/ipfs/') || url.pathname.startsWith('/ipns/'))
}

/**
 * Answers a gateway request from the local blockstore, online or offline. Read-only: no
 * request, whoever sends it, changes anything in the node.
 */
export async function answerGatewayRequest (request: Request): Promise<Response> {
  if (new URL(request.url).pathname.startsWith('/ipns/')) {
    return errorResponse(501, 'This node does not resolve IPNS names or DNSLink yet; open the content by its /ipfs/ CID.')
  }
  try {
    const { blockstore } = await getServices()
    return await handleGatewayRequest(request, async cid => blockstore.getBytes(cid))
  } catch (err) {
    return errorResponse(503, `The node could not start: ${(err as Error).message}`)
  }
}
