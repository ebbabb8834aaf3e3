import type { BlockStat, RepoStat } from '../../content/content-service.ts'
import type { CidInfo } from '../../content/cid-inspect.ts'
import { fields, method, none, text } from '../method.ts'

const cidParam = (name: string) => (value: unknown): { cid: string } => ({ cid: text(fields(value, name), 'cid', name) })

/** Blocks, CIDs and the repository's totals. */
export const blockMethods = {
  'block.get': method<{ cid: string }, { bytes: Uint8Array }>({ idempotent: true, params: cidParam('block.get') }),
  'block.stat': method<{ cid: string }, BlockStat>({ idempotent: true, params: cidParam('block.stat') }),
  'cid.inspect': method<{ cid: string }, CidInfo>({ idempotent: true, params: cidParam('cid.inspect') }),
  'repo.stat': method<Record<string, never>, RepoStat>({ idempotent: true, params: none('repo.stat') })
}
