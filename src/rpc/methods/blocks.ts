import type { BlockStat, RepoStat } from '../../content/content-service.ts'
import type { CidInfo } from '../../content/cid-inspect.ts'
import type { RepoUsage } from '../../library/library.ts'
import { InvalidParamsError } from '../errors.ts'
import { fields, method, text } from '../method.ts'

const cidParam = (name: string) => (value: unknown): { cid: string } => ({ cid: text(fields(value, name), 'cid', name) })

/** Blocks, CIDs and the repository's totals. */
export const blockMethods = {
  'block.get': method<{ cid: string }, { bytes: Uint8Array }>({ idempotent: true, params: cidParam('block.get') }),
  'block.stat': method<{ cid: string }, BlockStat>({ idempotent: true, params: cidParam('block.stat') }),
  'cid.inspect': method<{ cid: string }, CidInfo>({ idempotent: true, params: cidParam('cid.inspect') }),
  /**
   * Blocks and bytes stored and the browser's quota; with `usage: true` also how they divide
   * into pinned and cached (that reads every pinned block, so it is asked for, not default).
   */
  'repo.stat': method<{ usage?: boolean }, RepoStat & Partial<RepoUsage>>({
    idempotent: true,
    params: value => {
      const usage = fields(value ?? {}, 'repo.stat').usage
      if (usage !== undefined && typeof usage !== 'boolean') throw new InvalidParamsError('repo.stat takes "usage" as true or false')
      return usage === true ? { usage } : {}
    }
  })
}
