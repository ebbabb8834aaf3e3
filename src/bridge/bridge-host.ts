import { logger } from '@libp2p/logger'
import type { BridgeCommand, BridgeEvent, SessionDescriptionData } from './protocol.ts'
import { Correlator } from '../lib/correlator.ts'
import { BatchedPort } from './batched-port.ts'
import type { PeerConnectionCall, PeerConnectionLink } from './host-link.ts'
import { ProxyDataChannel } from './proxy-data-channel.ts'
import type { ProxyPeerConnection } from './proxy-peer-connection.ts'

const log = logger('cairn:bridge')

/** A page that hosts WebRTC for the Service Worker went away. */
export class BridgeHostGoneError extends Error {
  override name = 'BridgeHostGoneError'
}

/** The failure of a call the page made on its real RTCPeerConnection. */
export class BridgeCallError extends Error {
  constructor (name: string, message: string) {
    super(message)
    this.name = name
  }
}

type CallCommand = Extract<BridgeCommand, { op: 'pc.call' }>

/**
 * One page hosting real RTCPeerConnections for the worker, over one MessagePort: routes the
 * page's events to the proxies and closes all of them when the page goes away.
 */
export class BridgeHost implements PeerConnectionLink<ProxyPeerConnection, ProxyDataChannel> {
  readonly clientId: string
  private readonly port: BatchedPort<BridgeCommand, BridgeEvent>
  private readonly peerConnections = new Map<string, ProxyPeerConnection>()
  private readonly channels = new Map<string, { channel: ProxyDataChannel, pc: ProxyPeerConnection }>()
  private readonly calls = new Correlator<SessionDescriptionData | null | undefined>()
  private gone = false
  private readonly onGone: (host: BridgeHost) => void

  constructor (clientId: string, port: MessagePort, onGone: (host: BridgeHost) => void) {
    this.clientId = clientId
    this.onGone = onGone
    this.port = new BatchedPort(port, event => { this.handle(event) })
  }

  /** True once the page has gone away. */
  get isGone (): boolean { return this.gone }

  /** Connections this page hosts now. */
  get size (): number { return this.peerConnections.size }

  send (command: BridgeCommand, transfer: Transferable[] = []): void {
    if (this.gone) return
    this.port.post(command, transfer)
  }

  async call (command: PeerConnectionCall): Promise<SessionDescriptionData | null | undefined> {
    if (this.gone) throw new BridgeHostGoneError('the page hosting this WebRTC connection has closed')
    const { id, reply } = this.calls.open()
    this.send({ ...command, call: id } as CallCommand)
    return reply
  }

  addPeerConnection (pc: ProxyPeerConnection): void {
    if (this.gone) throw new BridgeHostGoneError('the page hosting this WebRTC connection has closed')
    this.peerConnections.set(pc.handle, pc)
  }

  forgetPeerConnection (handle: string): void {
    this.peerConnections.delete(handle)
  }

  addChannel (channel: ProxyDataChannel, pc: ProxyPeerConnection): void {
    this.channels.set(channel.handle, { channel, pc })
  }

  forgetChannel (handle: string): void {
    this.channels.delete(handle)
  }

  closeChannelsOf (pc: ProxyPeerConnection): void {
    for (const { channel, pc: owner } of [...this.channels.values()]) if (owner === pc) channel.closed()
  }

  /** The page is gone (said goodbye, or its client disappeared): close everything it hosted. */
  close (): void {
    if (this.gone) return
    this.gone = true
    log('bridge host %s gone, closing %d connections', this.clientId, this.peerConnections.size)
    this.calls.rejectAll(new BridgeHostGoneError('the page hosting this WebRTC connection has closed'))
    for (const pc of [...this.peerConnections.values()]) pc.hostGone()
    this.port.close()
    this.onGone(this)
  }

  private handle (event: BridgeEvent): void {
    switch (event.ev) {
      case 'reply': {
        if (event.ok) this.calls.resolve(event.call, event.description)
        else this.calls.reject(event.call, new BridgeCallError(event.error.name, event.error.message))
        return
      }
      case 'pc.state': this.peerConnections.get(event.pc)?.stateChanged(event.connectionState); return
      case 'pc.ice': this.peerConnections.get(event.pc)?.iceCandidate(event.candidate); return
      case 'pc.iceerror': this.peerConnections.get(event.pc)?.iceError(event.errorText); return
      case 'pc.datachannel': {
        const pc = this.peerConnections.get(event.pc)
        if (pc === undefined) return
        const channel = new ProxyDataChannel(this, event.dc, { label: event.label, protocol: event.protocol, id: event.id, readyState: event.readyState })
        this.addChannel(channel, pc)
        pc.remoteChannel(channel)
        return
      }
      case 'dc.open': this.channels.get(event.dc)?.channel.opened(event.id); return
      case 'dc.message': this.channels.get(event.dc)?.channel.received(event.data); return
      case 'dc.buffered': this.channels.get(event.dc)?.channel.buffered(event.sent, event.amount); return
      case 'dc.error': this.channels.get(event.dc)?.channel.failed(event.message); return
      case 'dc.close': this.channels.get(event.dc)?.channel.closed(); return
      case 'bye': this.close()
    }
  }
}
