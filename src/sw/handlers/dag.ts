import type { RpcHandlers } from '../../rpc/server.ts'
import { getCairn } from '../cairn-instance.ts'

/** DAG nodes: create and resolve. */
export const dagHandlers: RpcHandlers = {
  'dag.put': async params => (await getCairn()).content.dagPut(params),
  'dag.get': async ({ path }) => (await getCairn()).content.dagGet(path)
}
