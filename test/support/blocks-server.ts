import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CID } from 'multiformats/cid'

/** A minimal trustless gateway for end-to-end tests: `GET /ipfs/<cid>?format=raw` answered by `answer`. */
export interface BlocksServer {
  url: string
  requests: number
  stop: () => Promise<void>
}

/**
 * Serves raw blocks over HTTP with the CORS header public gateways send. `answer` gives the
 * body for a CID (undefined: 404); `delayMs` slows every answer, and with `oneAtATime` the
 * answers go out one after another, for fetches that must still be running when a test acts.
 */
export async function startBlocksServer (answer: (cid: CID) => Promise<Uint8Array | undefined>, delayMs = 0, oneAtATime = false): Promise<BlocksServer> {
  const state = { requests: 0 }
  let previous: Promise<unknown> = Promise.resolve()
  const server = createServer((req, res) => {
    state.requests++
    res.setHeader('Access-Control-Allow-Origin', '*')
    const match = /^\/ipfs\/([^/?]+)/.exec(req.url ?? '')
    const turn = oneAtATime ? previous : Promise.resolve()
    const waited = turn.then(async () => new Promise(resolve => setTimeout(resolve, delayMs)))
    previous = waited
    void (async () => {
      await waited
      const body = match === null ? undefined : await answer(CID.parse(match[1])).catch(() => undefined)
      if (body === undefined) {
        res.statusCode = 404
        res.end('not found')
        return
      }
      res.setHeader('Content-Type', 'application/vnd.ipld.raw')
      res.end(Buffer.from(body))
    })()
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    get requests () { return state.requests },
    stop: async () => {
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => { resolve() }))
    }
  }
}
