import { logger } from '@libp2p/logger'
import type { Identify } from '@libp2p/identify'
import type { Connection, Libp2p } from '@libp2p/interface'
import { connectionKind } from '../lib/connection-kind.ts'

const log = logger('cairn:p2p:direct')

/**
 * Once a direct WebRTC connection to a peer is open, its relayed connections only cost the
 * relay: close them, then identify over the direct connection so every protocol that had
 * streams on the relayed one (gossipsub) opens them on the direct one instead. Libp2p tells
 * protocol topologies about a peer on identify, and gossipsub keeps one outbound stream per
 * peer, so without this a room would go silent when the relayed connection ends.
 */
export class DirectPreference {
  private readonly node: Libp2p<{ identify: Identify }>
  private readonly onOpen = (event: CustomEvent<Connection>): void => { this.opened(event.detail) }

  constructor (node: Libp2p<{ identify: Identify }>) {
    this.node = node
  }

  start (): void {
    this.node.addEventListener('connection:open', this.onOpen)
  }

  stop (): void {
    this.node.removeEventListener('connection:open', this.onOpen)
  }

  private opened (direct: Connection): void {
    const node = this.node
    if (connectionKind(direct.remoteAddr.toString()) !== 'webrtc') return
    const relayed = node.getConnections(direct.remotePeer).filter(c => c !== direct && connectionKind(c.remoteAddr.toString()) === 'relayed')
    if (relayed.length === 0) return
    Promise.all(relayed.map(async c => c.close())).then(async () => {
      log('closed %d relayed connection(s) to %p in favour of WebRTC', relayed.length, direct.remotePeer)
      if (direct.status === 'open') await node.services.identify.identify(direct)
    }).catch(err => log('moving %p to its direct connection failed: %s', direct.remotePeer, err))
  }
}
