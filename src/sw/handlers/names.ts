import { chainOf } from '../../names/name-chain.ts'
import type { RpcHandlers } from '../../rpc/server.ts'
import { getCairn } from '../cairn-instance.ts'

/** The names this node publishes. */
export const nameHandlers: RpcHandlers = {
  'names.resolve': async ({ name }, { signal }) => chainOf(`/ipns/${name}`, await (await getCairn()).names.resolve(name, [], { signal })),
  'names.list': async () => (await getCairn()).publisher.list(),
  'names.create': async ({ label }) => (await getCairn()).publisher.create(label),
  'names.import': async ({ label, key }) => (await getCairn()).publisher.import(label, key),
  'names.export': async ({ id }) => ({ key: await (await getCairn()).publisher.export(id) }),
  'names.rename': async ({ id, label }) => (await getCairn()).publisher.rename(id, label),
  'names.delete': async ({ id }) => {
    await (await getCairn()).publisher.delete(id)
    return {}
  },
  'names.publish': async ({ id, value, lifetimeMs, ttlMs }, { signal }) => (await getCairn()).publisher.publish(id, value, {
    signal,
    ...(lifetimeMs === undefined ? {} : { lifetimeMs }),
    ...(ttlMs === undefined ? {} : { ttlMs })
  })
}
