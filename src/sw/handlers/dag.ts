import { parseIpfsPath } from '../../content/dag/ipfs-path.ts'
import { FetchSession } from '../../content/fetch-session.ts'
import { chainOf, namedPath } from '../../names/name-chain.ts'
import type { RpcHandlers } from '../../rpc/server.ts'
import { getCairn } from '../cairn-instance.ts'

/** DAG nodes: create and resolve (fetching what is not stored). */
export const dagHandlers: RpcHandlers = {
  'dag.put': async params => (await getCairn()).content.dagPut(params),
  'dag.get': async ({ path }, { progress, signal }) => {
    // Progress only when something is fetched; a stored path answers with no events.
    const session = new FetchSession((_event, sofar) => { progress({ ...sofar, sources: { ...sofar.sources } }) })
    const cairn = await getCairn()
    // A name is resolved first; the explorer shows the chain, then the content it names.
    const named = namedPath(path)
    const name = named === undefined ? undefined : chainOf(path, await cairn.names.resolve(named.name, named.segments, { signal }))
    const target = name?.resolved ?? path
    const node = await cairn.content.dagGet(target, { session, signal })
    // The root of what was opened joins "recently viewed" (path checked by dagGet already).
    void cairn.library.touch(parseIpfsPath(target).root).catch(() => {})
    return name === undefined ? node : { ...node, name }
  }
}
