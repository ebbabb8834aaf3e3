import { CID } from 'multiformats/cid'
import { fetchDag } from '../../exchange/fetch-dag.ts'
import { InvalidParamsError } from '../../rpc/errors.ts'
import type { RpcHandlers } from '../../rpc/server.ts'
import { getCairn } from '../cairn-instance.ts'

/** Sources of content and fetching whole DAGs. */
export const exchangeHandlers: RpcHandlers = {
  'exchange.get': async () => (await getCairn()).exchange.view(),
  'exchange.set': async settings => {
    const { exchange } = await getCairn()
    await exchange.apply(settings)
    return exchange.view()
  },
  'dag.fetch': async ({ cid }, { progress, signal }) => {
    let root: CID
    try {
      root = CID.parse(cid.trim())
    } catch {
      throw new InvalidParamsError(`"${cid}" is not a CID`)
    }
    const cairn = await getCairn()
    const summary = await fetchDag(cairn.blocks, root, { signal, onProgress: progress })
    void cairn.library.touch(root).catch(() => {})
    return summary
  }
}
