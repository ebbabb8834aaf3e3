import type { RpcHandlers } from '../../rpc/server.ts'
import { getCairn } from '../cairn-instance.ts'
import { cidParam as parse } from './cid-param.ts'

/** Pins and garbage collection. */
export const libraryHandlers: RpcHandlers = {
  'pin.add': async ({ cid, type, name }) => (await getCairn()).library.pin(parse(cid), {
    ...(type === undefined ? {} : { type }),
    ...(name === undefined ? {} : { name })
  }),
  'pin.rm': async ({ cid }) => {
    await (await getCairn()).library.unpin(parse(cid))
    return {}
  },
  'pin.ls': async () => (await getCairn()).library.list(),
  'pin.page': async ({ limit }) => (await getCairn()).library.newest(limit),
  'pin.status': async ({ cid }) => (await getCairn()).library.status(parse(cid)),
  'pin.update': async ({ from, to }) => (await getCairn()).library.update(parse(from), parse(to)),
  'cache.ls': async () => (await getCairn()).library.recent(),
  'cache.rm': async ({ cid }) => (await getCairn()).library.remove(parse(cid)),
  'dag.stat': async ({ cid }) => (await getCairn()).library.stat(parse(cid)),
  'library.settings': async () => (await getCairn()).librarySettings(),
  'library.setSettings': async settings => {
    const cairn = await getCairn()
    await cairn.applyLibrarySettings(settings)
    return cairn.librarySettings()
  },
  'repo.gc': async (_params, { progress, signal }) => (await getCairn()).library.gc({ signal, onProgress: progress }),
  'pin.follow': async ({ name, label }) => (await getCairn()).namePins.follow(name, label),
  'pin.checkNames': async () => {
    await (await getCairn()).namePins.check()
    return {}
  }
}
