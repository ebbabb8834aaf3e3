import { pinKey } from '../../library/pins.ts'
import type { RpcHandlers } from '../../rpc/server.ts'
import { getCairn } from '../cairn-instance.ts'
import { cidParam as parse } from './cid-param.ts'

/** Keeping pins online on pinning services. */
export const remoteHandlers: RpcHandlers = {
  'remote.services': async () => {
    const { keepOnline } = await getCairn()
    return { services: await keepOnline.services(), settings: await keepOnline.settings() }
  },
  'remote.setSettings': async settings => {
    const { keepOnline } = await getCairn()
    await keepOnline.applySettings(settings)
    return { services: await keepOnline.services(), settings: await keepOnline.settings() }
  },
  'remote.test': async target => (await getCairn()).keepOnline.test('id' in target ? target.id : target),
  'remote.keep': async ({ cid, services }) => {
    const cairn = await getCairn()
    const key = pinKey(parse(cid))
    const pin = (await cairn.library.list()).find(p => p.cid === key)
    return cairn.keepOnline.keep(key, pin?.name ?? key, services)
  },
  'remote.forget': async ({ cid, services }) => (await (await getCairn()).keepOnline.forget(pinKey(parse(cid)), services)) ?? null,
  'remote.status': async ({ cid, check }) => {
    const { keepOnline } = await getCairn()
    const key = pinKey(parse(cid))
    if (check === true) await keepOnline.check(key)
    return (await keepOnline.status(key)) ?? null
  }
}
