import { DEFAULT_THROUGHPUT_BYTES } from '../../p2p/throughput.ts'
import type { RpcHandlers } from '../../rpc/server.ts'
import { effectiveSettings, getNetwork, loadSettings, networkStatus, restartNetwork, saveSettings } from '../network-instance.ts'

/** The node's connectivity, its settings and its peers. */
export const networkHandlers: RpcHandlers = {
  'node.status': async () => networkStatus(),
  'settings.get': async () => {
    const settings = await loadSettings()
    return { settings, effective: await effectiveSettings(settings) }
  },
  'settings.set': async settings => {
    await saveSettings(settings)
    await restartNetwork()
    return { settings, effective: await effectiveSettings(settings) }
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
