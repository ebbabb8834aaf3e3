import type { ConnectionKind } from '../../lib/connection-kind.ts'
import type { EffectiveSettings, NetworkStatus } from '../../p2p/network-service.ts'
import type { PeersSnapshot } from '../../p2p/peers.ts'
import { checkSettings, type NetworkSettings } from '../../p2p/settings.ts'
import type { ThroughputResult } from '../../p2p/throughput.ts'
import { fields, method, none, optionalNumber, text } from '../method.ts'

const peerParam = (name: string) => (value: unknown): { peerId: string } => ({ peerId: text(fields(value, name), 'peerId', name) })

/** The node's connectivity, its settings and its peers. */
export const networkMethods = {
  /** The node's connectivity; starts the network if it is not running. */
  'node.status': method<Record<string, never>, NetworkStatus>({ idempotent: true, params: none('node.status') }),
  'settings.get': method<Record<string, never>, { settings: NetworkSettings, effective: EffectiveSettings }>({ idempotent: true, params: none('settings.get') }),
  /** Saves the settings and restarts the network with them (same identity, same rooms). */
  'settings.set': method<NetworkSettings, { settings: NetworkSettings, effective: EffectiveSettings }>({ idempotent: false, params: checkSettings }),
  'peers.list': method<Record<string, never>, PeersSnapshot>({ idempotent: true, params: none('peers.list') }),
  'peers.dial': method<{ address: string }, { peerId: string, kind: ConnectionKind }>({
    idempotent: false,
    params: value => ({ address: text(fields(value, 'peers.dial'), 'address', 'peers.dial') })
  }),
  'peers.disconnect': method<{ peerId: string }, Record<string, never>>({ idempotent: false, params: peerParam('peers.disconnect') }),
  'peers.ping': method<{ peerId: string }, { rtt: number }>({ idempotent: false, params: peerParam('peers.ping') }),
  /** Sends `bytes` (default 8 MiB) to a connected peer and times it, with progress. */
  'peers.throughput': method<{ peerId: string, bytes?: number }, ThroughputResult, { sent: number, total: number }>({
    idempotent: false,
    params: value => {
      const p = fields(value, 'peers.throughput')
      const bytes = optionalNumber(p, 'bytes', 'peers.throughput')
      return { peerId: text(p, 'peerId', 'peers.throughput'), ...(bytes === undefined ? {} : { bytes }) }
    }
  })
}
