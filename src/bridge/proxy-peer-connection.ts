import type { PeerConnectionLink } from './host-link.ts'
import { eventWith, HandlerTarget } from './event-handlers.ts'
import { ProxyDataChannel } from './proxy-data-channel.ts'
import type { SessionDescriptionData } from './protocol.ts'

/** RTCSessionDescription for the Service Worker: plain data, as the real one is. */
export class ProxySessionDescription implements SessionDescriptionData {
  readonly type: RTCSdpType
  readonly sdp: string
  constructor (init: { type: RTCSdpType, sdp?: string }) {
    this.type = init.type
    this.sdp = init.sdp ?? ''
  }

  toJSON (): SessionDescriptionData { return { type: this.type, sdp: this.sdp } }
}

/** RTCIceCandidate for the Service Worker: the fields libp2p reads, and `toJSON`. */
export class ProxyIceCandidate {
  readonly candidate: string
  readonly sdpMid: string | null
  readonly sdpMLineIndex: number | null
  readonly usernameFragment: string | null
  constructor (init: RTCIceCandidateInit) {
    this.candidate = init.candidate ?? ''
    this.sdpMid = init.sdpMid ?? null
    this.sdpMLineIndex = init.sdpMLineIndex ?? null
    this.usernameFragment = init.usernameFragment ?? null
  }

  toJSON (): RTCIceCandidateInit {
    return { candidate: this.candidate, sdpMid: this.sdpMid, sdpMLineIndex: this.sdpMLineIndex, usernameFragment: this.usernameFragment }
  }
}

let nextHandle = 1

/** A handle for an object the worker creates. */
export function workerHandle (): string {
  return `s${nextHandle++}`
}

function description (value: { type?: RTCSdpType, sdp?: string } | undefined): SessionDescriptionData {
  if (value?.type === undefined) throw new TypeError('a session description needs a type')
  return { type: value.type, sdp: value.sdp ?? '' }
}

/**
 * An RTCPeerConnection look-alike in the Service Worker, backed by a real one in the page
 * `host`. Covers what `@libp2p/webrtc` uses: offers and answers, ICE candidates, data
 * channels both ways, `connectionState` with its events, and `close`.
 */
export class ProxyPeerConnection extends HandlerTarget {
  /**
   * WebRTC-direct asks for an ECDSA P-256 certificate first. The key cannot live here: the
   * page's RTCPeerConnection makes its own, and Chromium's default is that same kind. What
   * the dialer needs from it, the fingerprint, it reads from the local description, which
   * comes from the page. So this gives a placeholder that the constructor leaves out of the
   * configuration it sends, as it does any certificate.
   */
  static async generateCertificate (keygenAlgorithm: AlgorithmIdentifier | EcKeyGenParams): Promise<{ expires: number, algorithm: AlgorithmIdentifier | EcKeyGenParams }> {
    const name = typeof keygenAlgorithm === 'string' ? keygenAlgorithm : keygenAlgorithm.name
    if (name !== 'ECDSA' || (typeof keygenAlgorithm !== 'string' && (keygenAlgorithm as EcKeyGenParams).namedCurve !== 'P-256')) {
      throw new DOMException(`the page makes ECDSA P-256 certificates, not ${name}`, 'NotSupportedError')
    }
    return { expires: Date.now() + 30 * 24 * 3600 * 1000, algorithm: keygenAlgorithm }
  }

  connectionState: RTCPeerConnectionState = 'new'
  localDescription: ProxySessionDescription | null = null
  remoteDescription: ProxySessionDescription | null = null
  readonly handle = workerHandle()
  readonly host: PeerConnectionLink<ProxyPeerConnection, ProxyDataChannel>

  constructor (host: PeerConnectionLink<ProxyPeerConnection, ProxyDataChannel>, config: RTCConfiguration = {}) {
    super()
    this.host = host
    host.addPeerConnection(this)
    // Certificates cannot cross the port; the page makes its own.
    const { certificates: _certificates, ...plain } = config
    host.send({ op: 'pc.new', pc: this.handle, config: plain })
  }

  get onconnectionstatechange (): ((event: Event) => unknown) | null { return this.getHandler('connectionstatechange') }
  set onconnectionstatechange (handler: ((event: Event) => unknown) | null) { this.setHandler('connectionstatechange', handler) }
  get onicecandidate (): ((event: RTCPeerConnectionIceEvent) => unknown) | null { return this.getHandler('icecandidate') }
  set onicecandidate (handler: ((event: RTCPeerConnectionIceEvent) => unknown) | null) { this.setHandler('icecandidate', handler) }
  get onicecandidateerror (): ((event: Event) => unknown) | null { return this.getHandler('icecandidateerror') }
  set onicecandidateerror (handler: ((event: Event) => unknown) | null) { this.setHandler('icecandidateerror', handler) }
  get ondatachannel (): ((event: RTCDataChannelEvent) => unknown) | null { return this.getHandler('datachannel') }
  set ondatachannel (handler: ((event: RTCDataChannelEvent) => unknown) | null) { this.setHandler('datachannel', handler) }

  async createOffer (): Promise<ProxySessionDescription> {
    return new ProxySessionDescription(description((await this.host.call({ op: 'pc.call', pc: this.handle, method: 'createOffer' })) ?? undefined))
  }

  async createAnswer (): Promise<ProxySessionDescription> {
    return new ProxySessionDescription(description((await this.host.call({ op: 'pc.call', pc: this.handle, method: 'createAnswer' })) ?? undefined))
  }

  async setLocalDescription (value: { type?: RTCSdpType, sdp?: string }): Promise<void> {
    const applied = await this.host.call({ op: 'pc.call', pc: this.handle, method: 'setLocalDescription', description: description(value) })
    this.localDescription = new ProxySessionDescription(applied ?? description(value))
  }

  async setRemoteDescription (value: { type?: RTCSdpType, sdp?: string }): Promise<void> {
    await this.host.call({ op: 'pc.call', pc: this.handle, method: 'setRemoteDescription', description: description(value) })
    this.remoteDescription = new ProxySessionDescription(description(value))
  }

  async addIceCandidate (candidate: RTCIceCandidateInit | ProxyIceCandidate | null = null): Promise<void> {
    if (candidate === null) return
    const init = candidate instanceof ProxyIceCandidate ? candidate.toJSON() : candidate
    await this.host.call({ op: 'pc.call', pc: this.handle, method: 'addIceCandidate', candidate: init })
  }

  createDataChannel (label: string, init: RTCDataChannelInit = {}): ProxyDataChannel {
    if (this.connectionState === 'closed') throw new DOMException('the RTCPeerConnection is closed', 'InvalidStateError')
    const channel = new ProxyDataChannel(this.host, workerHandle(), { label, protocol: init.protocol ?? '' })
    this.host.addChannel(channel, this)
    this.host.send({ op: 'dc.new', pc: this.handle, dc: channel.handle, label, init })
    return channel
  }

  /** Closes the connection here and in the page. Like the real one, fires no state event. */
  close (): void {
    if (this.connectionState === 'closed') return
    this.connectionState = 'closed'
    this.host.send({ op: 'pc.close', pc: this.handle })
    this.host.closeChannelsOf(this)
    this.host.forgetPeerConnection(this.handle)
  }

  /** The page's connection changed state. */
  stateChanged (state: RTCPeerConnectionState): void {
    if (this.connectionState === 'closed' || this.connectionState === state) return
    this.connectionState = state
    this.dispatchEvent(new Event('connectionstatechange'))
  }

  /** The page gathered a candidate (null: gathering finished). */
  iceCandidate (init: RTCIceCandidateInit | null): void {
    this.dispatchEvent(eventWith('icecandidate', { candidate: init === null ? null : new ProxyIceCandidate(init) }))
  }

  iceError (errorText: string): void {
    this.dispatchEvent(eventWith('icecandidateerror', { errorText }))
  }

  /** The remote peer opened a channel. */
  remoteChannel (channel: ProxyDataChannel): void {
    this.dispatchEvent(eventWith('datachannel', { channel }))
  }

  /** The page hosting this connection went away: the connection is over. */
  hostGone (): void {
    if (this.connectionState === 'closed') return
    this.connectionState = 'closed'
    this.host.closeChannelsOf(this)
    this.dispatchEvent(new Event('connectionstatechange'))
    this.host.forgetPeerConnection(this.handle)
  }
}
