import { logger } from '@libp2p/logger'
import { multiaddr } from '@multiformats/multiaddr'
import type { Libp2p } from '@libp2p/interface'
import { TypedEventEmitter } from 'main-event'

const log = logger('cairn:p2p:relays')

/** How the relays are doing, for the node's status. */
export interface RelayState {
  address: string
  peerId: string
  connected: boolean
  /** The last dial error, while not connected. */
  error?: string
  /** When the next dial is due (ms since the epoch), while not connected. */
  nextAttempt?: number
}

/** Events of the relay keeper. */
export interface RelayKeeperEvents {
  change: CustomEvent<RelayState[]>
}

/**
 * Keeps the node connected to its relays: dials each one, and redials with exponential
 * backoff (1 s doubling to 30 s) whenever it is not connected — after a relay restart, a
 * network change or a failed first dial. Dispatches `change` (with the relays' states) when
 * a relay comes or goes.
 */
export class RelayKeeper extends TypedEventEmitter<RelayKeeperEvents> {
  private readonly node: Libp2p
  private readonly relays: Array<RelayState & { backoff: number, dialing: boolean }>
  private timer: ReturnType<typeof setInterval> | undefined
  private readonly maxBackoffMs: number
  private readonly onPeer = (): void => { this.refresh() }

  constructor (node: Libp2p, addresses: string[], options: { maxBackoffMs?: number } = {}) {
    super()
    this.node = node
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000
    this.relays = addresses.map(address => ({
      address,
      peerId: multiaddr(address).getComponents().findLast(c => c.name === 'p2p')?.value ?? '',
      connected: false,
      backoff: 1000,
      dialing: false,
      nextAttempt: 0
    }))
  }

  start (): void {
    this.node.addEventListener('peer:connect', this.onPeer)
    this.node.addEventListener('peer:disconnect', this.onPeer)
    this.timer = setInterval(() => { this.tick() }, 500)
    this.tick()
  }

  stop (): void {
    clearInterval(this.timer)
    this.node.removeEventListener('peer:connect', this.onPeer)
    this.node.removeEventListener('peer:disconnect', this.onPeer)
  }

  /** Each relay and whether it is connected. */
  get states (): RelayState[] {
    return this.relays.map(({ backoff: _b, dialing: _d, ...state }) => ({ ...state }))
  }

  /** Dials every disconnected relay now, whatever its backoff (e.g. when the browser comes online). */
  retryNow (): void {
    for (const relay of this.relays) if (!relay.connected) { relay.nextAttempt = 0; relay.backoff = 1000 }
    this.tick()
  }

  private isConnected (peerId: string): boolean {
    return this.node.getConnections().some(c => c.remotePeer.toString() === peerId && c.status === 'open' && c.limits === undefined)
  }

  private refresh (): void {
    let changed = false
    for (const relay of this.relays) {
      const connected = this.isConnected(relay.peerId)
      if (connected !== relay.connected) {
        changed = true
        relay.connected = connected
        if (connected) {
          relay.backoff = 1000
          delete relay.error
          delete relay.nextAttempt
          log('connected to relay %s', relay.address)
        } else {
          relay.nextAttempt = Date.now()
          log('lost relay %s', relay.address)
        }
      }
    }
    if (changed) this.safeDispatchEvent('change', { detail: this.states })
  }

  private tick (): void {
    this.refresh()
    const now = Date.now()
    for (const relay of this.relays) {
      if (relay.connected || relay.dialing || (relay.nextAttempt ?? 0) > now) continue
      relay.dialing = true
      this.node.dial(multiaddr(relay.address), { signal: AbortSignal.timeout(10_000) }).then(() => {
        relay.dialing = false
        this.refresh()
      }, (err: Error) => {
        relay.dialing = false
        relay.error = err.message
        relay.nextAttempt = Date.now() + relay.backoff
        log('dialing relay %s failed, next try in %d ms: %s', relay.address, relay.backoff, err.message)
        relay.backoff = Math.min(relay.backoff * 2, this.maxBackoffMs)
        this.safeDispatchEvent('change', { detail: this.states })
      })
    }
  }
}
