import type { RpcHandlers } from '../../rpc/server.ts'
import { getNode } from '../node-instance.ts'

/** DAG nodes: create and resolve. */
export const dagHandlers: RpcHandlers = {
  'dag.put': async params => (await getNode()).dagPut(params),
  'dag.get': async ({ path }) => (await getNode()).dagGet(path)
}
