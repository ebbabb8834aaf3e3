import type { CID } from 'multiformats/cid'
import { handleGatewayRequest } from '../../src/gateway/gateway.ts'
import { startHttpServer } from './exchange-peers.ts'

/**
 * Cairn's own gateway (`handleGatewayRequest`) over HTTP on a free loopback port, serving the
 * blocks `get` gives: a real trustless gateway for tests.
 */
export async function startTrustlessGateway (get: (cid: CID) => Promise<Uint8Array>): Promise<{ url: string, requests: string[], stop: () => Promise<void> }> {
  return startHttpServer(async (req, res) => {
    const headers = new Headers()
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value)
    const response = await handleGatewayRequest(new Request(`http://127.0.0.1${req.url ?? '/'}`, { headers }), async cid => get(cid))
    res.statusCode = response.status
    // Public trustless gateways allow any origin to read blocks; a browser node needs it.
    res.setHeader('Access-Control-Allow-Origin', '*')
    response.headers.forEach((value, name) => { res.setHeader(name, value) })
    res.end(Buffer.from(await response.arrayBuffer()))
  })
}
