import { fetchDag } from '../../exchange/fetch-dag.ts'
import type { RpcHandlers } from '../../rpc/server.ts'
import { getCairn } from '../cairn-instance.ts'
import { cidParam } from './cid-param.ts'

/** Sources of content and fetching whole DAGs. */
export const exchangeHandlers: RpcHandlers = {
  'exchange.get': async () => {
    const { exchange, names } = await getCairn()
    return exchange.view(names.stats())
  },
  'exchange.set': async settings => {
    const { exchange, names } = await getCairn()
    await exchange.apply(settings)
    return exchange.view(names.stats())
  },
  'dag.fetch': async ({ cid }, { progress, signal }) => {
    const root = cidParam(cid)
    const cairn = await getCairn()
    const summary = await fetchDag(cairn.blocks, root, { signal, onProgress: progress })
    void cairn.library.touch(root).catch(() => {})
    return summary
  }
}
