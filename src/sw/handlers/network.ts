import type { LazyNetwork } from '../../cairn/lazy-network.ts'
import { DEFAULT_THROUGHPUT_BYTES } from '../../p2p/throughput.ts'
import type { RpcHandlers } from '../../rpc/server.ts'
import { getCairn, getNetwork } from '../cairn-instance.ts'

const network = async (): Promise<LazyNetwork> => (await getCairn()).network

/** The node's connectivity, its settings and its peers. */
export const networkHandlers: RpcHandlers = {
  'node.status': async () => (await network()).status(),
  'settings.get': async () => {
    const net = await network()
    const settings = await net.settings()
    return { settings, effective: await net.effective(settings) }
  },
  'settings.set': async settings => {
    const net = await network()
    await net.applySettings(settings)
    return { settings, effective: await net.effective(settings) }
  },
  'peers.list': async () => (await getNetwork()).peers(),
  'peers.dial': async ({ address }) => (await getNetwork()).dial(address),
  'peers.disconnect': async ({ peerId }) => {
    await (await getNetwork()).disconnect(peerId)
    return {}
  },
  'peers.ping': async ({ peerId }) => ({ rtt: await (await getNetwork()).ping(peerId) }),
  'peers.throughput': async ({ peerId, bytes }, { progress }) => {
    const total = bytes ?? DEFAULT_THROUGHPUT_BYTES
    return (await getNetwork()).throughput(peerId, total, sent => progress({ sent, total }))
  }
}
