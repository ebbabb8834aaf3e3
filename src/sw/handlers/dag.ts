import { FetchSession } from '../../content/fetch-session.ts'
import type { RpcHandlers } from '../../rpc/server.ts'
import { getCairn } from '../cairn-instance.ts'

/** DAG nodes: create and resolve (fetching what is not stored). */
export const dagHandlers: RpcHandlers = {
  'dag.put': async params => (await getCairn()).content.dagPut(params),
  'dag.get': async ({ path }, { progress, signal }) => {
    // Progress only when something is fetched; a stored path answers with no events.
    const session = new FetchSession((_event, sofar) => { progress({ ...sofar, sources: { ...sofar.sources } }) })
    return (await getCairn()).content.dagGet(path, { session, signal })
  }
}
