import type { RpcHandlers } from '../../rpc/server.ts'
import { getCairn } from '../cairn-instance.ts'

/** Blocks, CIDs and the repository's totals. */
export const blockHandlers: RpcHandlers = {
  'block.get': async ({ cid }) => ({ bytes: await (await getCairn()).content.blockGet(cid) }),
  'block.stat': async ({ cid }) => (await getCairn()).content.blockStat(cid),
  'cid.inspect': async ({ cid }) => (await getCairn()).content.cidInspect(cid),
  'repo.stat': async ({ usage }) => {
    const cairn = await getCairn()
    const stat = await cairn.content.repoStat()
    return usage === true ? { ...stat, ...await cairn.library.usage() } : stat
  }
}
