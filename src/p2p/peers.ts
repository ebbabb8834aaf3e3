import type { Connection, Libp2p } from '@libp2p/interface'
import type { BitswapPeerStats } from '../exchange/bitswap.ts'
import { connectionKind, type ConnectionKind } from '../lib/connection-kind.ts'

/** One open connection, as the peers page shows it. */
export interface ConnectionInfo {
  id: string
  peerId: string
  remoteAddr: string
  kind: ConnectionKind
  direction: 'inbound' | 'outbound'
  /** Relayed connections carry limits (duration, data) set by the relay. */
  limited: boolean
  /** Round-trip time from libp2p's periodic ping, in ms, once measured. */
  rtt?: number
  openedAt: number
  streams: Array<{ protocol: string, direction: 'inbound' | 'outbound' }>
}

/** The node's own identity and addresses, its connections, and Bitswap traffic per peer. */
export interface PeersSnapshot {
  peerId: string
  addresses: string[]
  connections: ConnectionInfo[]
  /** Blocks and bytes sent to and received from each peer over Bitswap, by PeerId. */
  bitswap: Record<string, BitswapPeerStats>
}

function describe (c: Connection): ConnectionInfo {
  return {
    id: c.id,
    peerId: c.remotePeer.toString(),
    remoteAddr: c.remoteAddr.toString(),
    kind: connectionKind(c.remoteAddr.toString()),
    direction: c.direction,
    limited: c.limits !== undefined,
    ...(c.rtt !== undefined && Number.isFinite(c.rtt) ? { rtt: Math.round(c.rtt * 10) / 10 } : {}),
    openedAt: c.timeline.open,
    streams: c.streams.map(s => ({ protocol: s.protocol ?? '(negotiating)', direction: s.direction }))
  }
}

/** What the peers page shows, read from the node now. */
export function peersSnapshot (node: Libp2p, bitswap: Record<string, BitswapPeerStats>): PeersSnapshot {
  return {
    peerId: node.peerId.toString(),
    addresses: node.getMultiaddrs().map(ma => ma.toString()),
    connections: node.getConnections().filter(c => c.status === 'open').map(describe),
    bitswap
  }
}
