import type { RpcHandlers } from '../../rpc/server.ts'
import { getCairn } from '../cairn-instance.ts'
import { ShareGoneError, takeShare } from '../shared-inbox.ts'

/** The name an addition is pinned under when the caller gives none. */
function defaultName (entries: Array<{ path: string }>): string {
  const top = new Set(entries.map(e => e.path.split('/')[0]))
  return top.size === 1 ? [...top][0] : `${entries.filter(e => 'file' in e).length} files`
}

/** Adding files and folders. */
export const unixfsHandlers: RpcHandlers = {
  'unixfs.add': async ({ entries, profile, wrap, name }, { progress, signal }) => (await getCairn()).files.add(entries, {
    name: name ?? defaultName(entries),
    ...(profile === undefined ? {} : { profile }),
    ...(wrap === undefined ? {} : { wrap }),
    onProgress: progress,
    signal
  }),
  'share.take': async ({ id }) => {
    const shared = takeShare(id)
    if (shared === undefined) throw new ShareGoneError('the shared files are no longer here (taken already, or Cairn restarted): share them again')
    return shared
  }
}
