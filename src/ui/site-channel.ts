import { CID } from 'multiformats/cid'
import { blockLinks, ready } from '../hotpath/index.ts'
import type { BlockReply, BlockRequest } from '../site/protocol.ts'
import { rpc } from './rpc.ts'

/**
 * Answers a site worker's block requests on `port`, for the DAG under `root` only: a block is
 * sent when it is the root or linked from a block already sent. Anything else, and anything
 * not stored, is refused. The worker verifies each block's hash itself.
 */
export function serveSiteBlocks (port: MessagePort, root: string): void {
  const allowed = new Set([CID.parse(root).toV1().toString()])
  port.onmessage = async (event: MessageEvent<BlockRequest>) => {
    const { id, cid: text } = event.data
    const reply = (message: BlockReply, transfer: Transferable[] = []): void => port.postMessage(message, transfer)
    try {
      const cid = CID.parse(text)
      if (!allowed.has(cid.toV1().toString())) {
        reply({ id, error: 'NotFoundError', message: `${text} is not part of the site ${root}` })
        return
      }
      const { bytes } = await rpc.call('block.get', { cid: text })
      await ready()
      if (cid.code !== 0x55) for (const link of blockLinks(cid, bytes)) allowed.add(link.toV1().toString())
      const copy = bytes.slice()
      reply({ id, bytes: copy }, [copy.buffer])
    } catch (err) {
      const error = err as Error
      reply({ id, error: error.name, message: error.message })
    }
  }
}
