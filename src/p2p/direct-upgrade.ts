import { logger } from '@libp2p/logger'
import { multiaddr } from '@multiformats/multiaddr'
import type { Libp2p, PeerInfo } from '@libp2p/interface'
import { connectionKind } from '../lib/connection-kind.ts'

const log = logger('cairn:p2p:direct')

interface Known {
  addresses: string[]
  discoveredAt: number
  lastSeen: number
  nextAttempt: number
  backoff: number
  dialing: boolean
}

/** What the upgrader needs besides the node. */
export interface DirectUpgradeInit {
  /** False while nothing can host a WebRTC connection (no open page, for the Service Worker). */
  canDial: () => boolean
  /** Forget a peer not announced for this long, in ms (default 60 s). */
  forgetAfterMs?: number
  /** Dial anyway when the peer that should dial has not within this long, in ms (default 20 s). */
  patienceMs?: number
}

/**
 * Upgrades peers found through pubsub discovery to direct WebRTC connections: dials the
 * `/p2p-circuit/webrtc` address they announce, keeps doing so while they are around, and
 * redials when a direct connection drops (for example when the page hosting it closes and
 * another page can host it). Of two peers, the one with the smaller PeerId dials; the other
 * waits `patienceMs` before dialing itself.
 */
export class DirectUpgrader {
  private readonly node: Libp2p
  private readonly init: Required<DirectUpgradeInit>
  private readonly known = new Map<string, Known>()
  private timer: ReturnType<typeof setInterval> | undefined
  private readonly onDiscovery = (event: CustomEvent<PeerInfo>): void => { this.discovered(event.detail) }

  constructor (node: Libp2p, init: DirectUpgradeInit) {
    this.node = node
    this.init = { forgetAfterMs: 60_000, patienceMs: 20_000, ...init }
  }

  start (): void {
    this.node.addEventListener('peer:discovery', this.onDiscovery)
    this.timer = setInterval(() => { this.reconcile() }, 1000)
  }

  stop (): void {
    clearInterval(this.timer)
    this.node.removeEventListener('peer:discovery', this.onDiscovery)
  }

  /** Dials what is due now (e.g. after a page offered to host WebRTC). */
  reconcile (): void {
    const now = Date.now()
    const self = this.node.peerId.toString()
    for (const [peer, known] of this.known) {
      if (now - known.lastSeen > this.init.forgetAfterMs) {
        this.known.delete(peer)
        continue
      }
      if (known.dialing || known.nextAttempt > now || this.hasDirect(peer) || !this.init.canDial()) continue
      const ourTurn = self < peer || now - known.discoveredAt > this.init.patienceMs
      if (!ourTurn) continue
      this.dial(peer, known)
    }
  }

  private hasDirect (peer: string): boolean {
    return this.node.getConnections().some(c => c.remotePeer.toString() === peer && c.status === 'open' && connectionKind(c.remoteAddr.toString()) === 'webrtc')
  }

  private discovered (info: PeerInfo): void {
    const peer = info.id.toString()
    const addresses = info.multiaddrs.map(ma => ma.toString()).filter(a => a.includes('/p2p-circuit/webrtc'))
    if (addresses.length === 0 || peer === this.node.peerId.toString()) return
    const now = Date.now()
    const known = this.known.get(peer)
    if (known === undefined) {
      this.known.set(peer, { addresses, discoveredAt: now, lastSeen: now, nextAttempt: 0, backoff: 2000, dialing: false })
      this.reconcile()
    } else {
      known.addresses = addresses
      known.lastSeen = now
    }
  }

  private dial (peer: string, known: Known): void {
    known.dialing = true
    const address = known.addresses[0].endsWith(`/p2p/${peer}`) ? known.addresses[0] : `${known.addresses[0]}/p2p/${peer}`
    log('upgrading %s to WebRTC via %s', peer, address)
    this.node.dial(multiaddr(address), { signal: AbortSignal.timeout(30_000), force: true }).then(() => {
      known.dialing = false
      known.backoff = 2000
      log('direct WebRTC connection to %s', peer)
    }, (err: Error) => {
      known.dialing = false
      known.nextAttempt = Date.now() + known.backoff
      known.backoff = Math.min(known.backoff * 2, 60_000)
      log('WebRTC dial to %s failed: %s', peer, err.message)
    })
  }
}
