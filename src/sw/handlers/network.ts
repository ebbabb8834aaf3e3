import type { LazyNetwork } from '../../cairn/lazy-network.ts'
import type { NetworkService } from '../../p2p/network-service.ts'
import { DEFAULT_THROUGHPUT_BYTES } from '../../p2p/throughput.ts'
import type { RpcHandlers } from '../../rpc/server.ts'
import { getCairn } from '../cairn-instance.ts'

const network = async (): Promise<LazyNetwork> => (await getCairn()).network
const running = async (): Promise<NetworkService> => (await network()).get()

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
  'peers.list': async () => (await running()).peers(),
  'peers.dial': async ({ address }) => (await running()).dial(address),
  'peers.disconnect': async ({ peerId }) => {
    await (await running()).disconnect(peerId)
    return {}
  },
  'peers.ping': async ({ peerId }) => ({ rtt: await (await running()).ping(peerId) }),
  'peers.throughput': async ({ peerId, bytes }, { progress }) => {
    const total = bytes ?? DEFAULT_THROUGHPUT_BYTES
    return (await running()).throughput(peerId, total, sent => progress({ sent, total }))
  }
}
