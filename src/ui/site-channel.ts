import { CID } from 'multiformats/cid'
import { blockLinks, ready } from '../hotpath/index.ts'
import { nameOfLabel, type SiteAddress, type SiteReply, type SiteRequest } from '../site/protocol.ts'
import { rpc } from './rpc.ts'

/** How many blocks of a site are walked at most to find one its worker asks for. */
const MAX_WALK = 100_000

/**
 * Answers a site worker's requests on `port`, for the DAG of that one site only: a block is
 * sent when it is the site's root or linked from a block already sent. A named site's worker
 * may ask what its name points at now; the answer's root joins what may be sent (the site
 * moves with its name). Anything else, and anything not stored, is refused. The worker
 * verifies each block's hash itself.
 */
export function serveSiteBlocks (port: MessagePort, site: SiteAddress): void {
  const allowed = new Set<string>()
  if (site.namespace === 'ipfs') allowed.add(CID.parse(site.label).toV1().toString())
  // A named site's root is what its name points at: resolved on its worker's first ask (or
  // first block, when the worker kept the answer from an earlier channel).
  let resolved: Promise<string> | undefined
  const resolve = async (): Promise<string> => {
    const chain = await rpc.call('names.resolve', { name: nameOfLabel(site.label) })
    allowed.add(CID.parse(chain.resolved.split('/')[2]).toV1().toString())
    return chain.resolved
  }
  // Blocks whose links are in `allowed` already (walked), and the search for a block below the root.
  const walked = new Set<string>()
  const reach = async (wanted: string): Promise<void> => {
    await ready()
    const pending = [...allowed].filter(key => !walked.has(key))
    for (let seen = 0; pending.length > 0 && !allowed.has(wanted) && seen < MAX_WALK; seen++) {
      const key = pending.shift() as string
      if (walked.has(key)) continue
      walked.add(key)
      const cid = CID.parse(key)
      if (cid.code === 0x55) continue
      const { bytes } = await rpc.call('block.get', { cid: key })
      for (const link of blockLinks(cid, bytes)) {
        const next = link.toV1().toString()
        if (!allowed.has(next)) pending.push(next)
        allowed.add(next)
      }
    }
  }
  port.onmessage = async (event: MessageEvent<SiteRequest>) => {
    const request = event.data
    const { id } = request
    const reply = (message: SiteReply, transfer: Transferable[] = []): void => port.postMessage(message, transfer)
    try {
      if ('resolve' in request) {
        if (site.namespace !== 'ipns') throw Object.assign(new Error('this site is not named'), { name: 'NotFoundError' })
        resolved = resolve()
        reply({ id, path: await resolved })
        return
      }
      const cid = CID.parse(request.cid)
      if (site.namespace === 'ipns' && !allowed.has(cid.toV1().toString())) await (resolved ??= resolve())
      // The worker keeps blocks from earlier visits, so it may ask for a block whose parents it
      // did not ask this channel for: look for it below what is allowed before refusing.
      if (!allowed.has(cid.toV1().toString())) await reach(cid.toV1().toString())
      if (!allowed.has(cid.toV1().toString())) {
        reply({ id, error: 'NotFoundError', message: `${request.cid} is not part of this site` })
        return
      }
      const { bytes } = await rpc.call('block.get', { cid: request.cid })
      await ready()
      if (cid.code !== 0x55) for (const link of blockLinks(cid, bytes)) allowed.add(link.toV1().toString())
      walked.add(cid.toV1().toString())
      const copy = bytes.slice()
      reply({ id, bytes: copy }, [copy.buffer])
    } catch (err) {
      const error = err as Error
      reply({ id, error: error.name, message: error.message })
    }
  }
}
