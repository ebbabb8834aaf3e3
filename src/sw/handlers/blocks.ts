import type { RpcHandlers } from '../../rpc/server.ts'
import { getNode } from '../node-instance.ts'

/** Blocks, CIDs and the repository's totals. */
export const blockHandlers: RpcHandlers = {
  'block.get': async ({ cid }) => ({ bytes: await (await getNode()).blockGet(cid) }),
  'block.stat': async ({ cid }) => (await getNode()).blockStat(cid),
  'cid.inspect': async ({ cid }) => (await getNode()).cidInspect(cid),
  'repo.stat': async () => (await getNode()).repoStat()
}
