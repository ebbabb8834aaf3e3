import type { RpcHandlers } from '../rpc/server.ts'
import { getNode } from './node-instance.ts'

/** The node's RPC methods. Each starts the node lazily. */
export const rpcHandlers: RpcHandlers = {
  'dag.put': async params => (await getNode()).dagPut(params),
  'dag.get': async ({ path }) => (await getNode()).dagGet(path),
  'block.get': async ({ cid }) => ({ bytes: await (await getNode()).blockGet(cid) }),
  'block.stat': async ({ cid }) => (await getNode()).blockStat(cid),
  'cid.inspect': async ({ cid }) => (await getNode()).cidInspect(cid),
  'repo.stat': async () => (await getNode()).repoStat()
}
