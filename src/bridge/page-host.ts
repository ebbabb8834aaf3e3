import { logger } from '@libp2p/logger'
import { BatchedPort } from './batched-port.ts'
import { BRIDGE_TAG, isBridgeRequest, type BridgeCommand, type BridgeEvent, type BridgeOffer } from './protocol.ts'

const log = logger('cairn:bridge:page')

/**
 * The page's half of the WebRTC bridge: creates the real RTCPeerConnections and data
 * channels the Service Worker asks for and reports everything they do. Offers itself when
 * the page starts and whenever the worker asks (after a restart); says goodbye, closing its
 * connections, when the page goes away.
 */
export class PageBridgeHost {
  private readonly peerConnections = new Map<string, RTCPeerConnection>()
  private readonly channels = new Map<string, RTCDataChannel>()
  private readonly unacknowledged = new Map<string, number>()
  private port: BatchedPort<BridgeEvent, BridgeCommand> | undefined
  private nextHandle = 1
  private flushQueued = false

  /** Starts hosting for the worker that controls (or will control) this page. */
  start (): void {
    navigator.serviceWorker.addEventListener('message', event => {
      if (isBridgeRequest(event.data)) this.offer()
    })
    navigator.serviceWorker.addEventListener('controllerchange', () => this.offer())
    addEventListener('pagehide', () => this.stop())
    this.offer()
  }

  /** Closes every connection this page hosts and tells the worker. */
  stop (): void {
    this.emit({ ev: 'bye' })
    this.port?.flush()
    for (const pc of this.peerConnections.values()) pc.close()
    this.peerConnections.clear()
    this.channels.clear()
    this.port?.close()
    this.port = undefined
  }

  /** Hands the worker a fresh port; connections on an earlier port are closed first. */
  private offer (): void {
    const worker = navigator.serviceWorker.controller
    if (worker === null) return
    if (this.port !== undefined) this.stop()
    const channel = new MessageChannel()
    this.port = new BatchedPort(channel.port1, command => { this.run(command).catch(err => log.error('bridge command failed: %s', err)) })
    const offer: BridgeOffer = { tag: BRIDGE_TAG, type: 'host' }
    worker.postMessage(offer, [channel.port2])
  }

  private emit (event: BridgeEvent, transfer: Transferable[] = []): void {
    this.port?.post(event, transfer)
  }

  private async run (command: BridgeCommand): Promise<void> {
    switch (command.op) {
      case 'pc.new': this.createPeerConnection(command.pc, command.config); return
      case 'pc.call': {
        const pc = this.peerConnections.get(command.pc)
        try {
          if (pc === undefined) throw new DOMException('the RTCPeerConnection is closed', 'InvalidStateError')
          if (command.method === 'createOffer' || command.method === 'createAnswer') {
            const d = await pc[command.method]()
            this.emit({ ev: 'reply', call: command.call, ok: true, description: { type: d.type, sdp: d.sdp ?? '' } })
          } else if (command.method === 'addIceCandidate') {
            await pc.addIceCandidate(command.candidate)
            this.emit({ ev: 'reply', call: command.call, ok: true })
          } else if (command.method === 'setLocalDescription' || command.method === 'setRemoteDescription') {
            await pc[command.method](command.description)
            const applied = command.method === 'setLocalDescription' ? pc.localDescription : null
            this.emit({ ev: 'reply', call: command.call, ok: true, description: applied === null ? null : { type: applied.type, sdp: applied.sdp } })
          }
        } catch (err) {
          const e = err as Error
          this.emit({ ev: 'reply', call: command.call, ok: false, error: { name: e.name ?? 'Error', message: e.message ?? String(err) } })
        }
        return
      }
      case 'pc.close': {
        this.peerConnections.get(command.pc)?.close()
        this.peerConnections.delete(command.pc)
        return
      }
      case 'dc.new': {
        const pc = this.peerConnections.get(command.pc)
        if (pc === undefined || pc.connectionState === 'closed') {
          this.emit({ ev: 'dc.close', dc: command.dc })
          return
        }
        this.wire(command.dc, pc.createDataChannel(command.label, command.init))
        return
      }
      case 'dc.send': {
        const channel = this.channels.get(command.dc)
        const size = typeof command.data === 'string' ? command.data.length : command.data.byteLength
        try {
          if (channel === undefined) throw new DOMException('the data channel is closed', 'InvalidStateError')
          if (typeof command.data === 'string') channel.send(command.data)
          else channel.send(command.data)
        } catch (err) {
          this.emit({ ev: 'dc.error', dc: command.dc, message: (err as Error).message })
        }
        this.acknowledge(command.dc, size)
        return
      }
      case 'dc.close': this.channels.get(command.dc)?.close()
    }
  }

  /** Sends one acknowledgement per channel per task, however many sends it covered. */
  private acknowledge (dc: string, sent: number): void {
    this.unacknowledged.set(dc, (this.unacknowledged.get(dc) ?? 0) + sent)
    if (this.flushQueued) return
    this.flushQueued = true
    queueMicrotask(() => {
      this.flushQueued = false
      for (const [handle, bytes] of this.unacknowledged) {
        this.emit({ ev: 'dc.buffered', dc: handle, sent: bytes, amount: this.channels.get(handle)?.bufferedAmount ?? 0 })
      }
      this.unacknowledged.clear()
    })
  }

  private createPeerConnection (handle: string, config: RTCConfiguration): void {
    const pc = new RTCPeerConnection(config)
    this.peerConnections.set(handle, pc)
    pc.onconnectionstatechange = () => this.emit({ ev: 'pc.state', pc: handle, connectionState: pc.connectionState })
    pc.onicecandidate = ({ candidate }) => this.emit({ ev: 'pc.ice', pc: handle, candidate: candidate?.toJSON() ?? null })
    pc.onicecandidateerror = event => this.emit({ ev: 'pc.iceerror', pc: handle, errorText: (event as RTCPeerConnectionIceErrorEvent).errorText ?? '' })
    pc.ondatachannel = ({ channel }) => {
      const dc = `p${this.nextHandle++}`
      this.emit({ ev: 'pc.datachannel', pc: handle, dc, label: channel.label, protocol: channel.protocol, id: channel.id, readyState: channel.readyState })
      this.wire(dc, channel)
    }
  }

  private wire (handle: string, channel: RTCDataChannel): void {
    this.channels.set(handle, channel)
    channel.binaryType = 'arraybuffer'
    channel.bufferedAmountLowThreshold = 0
    channel.onopen = () => this.emit({ ev: 'dc.open', dc: handle, id: channel.id })
    channel.onmessage = ({ data }: MessageEvent<ArrayBuffer | string>) => {
      // The page owns the received buffer: it is moved, not copied.
      this.emit({ ev: 'dc.message', dc: handle, data }, typeof data === 'string' ? [] : [data])
    }
    channel.onbufferedamountlow = () => this.emit({ ev: 'dc.buffered', dc: handle, sent: 0, amount: channel.bufferedAmount })
    channel.onerror = event => this.emit({ ev: 'dc.error', dc: handle, message: (event as RTCErrorEvent).error?.message ?? 'data channel error' })
    channel.onclose = () => {
      this.channels.delete(handle)
      this.emit({ ev: 'dc.close', dc: handle })
    }
    if (channel.readyState === 'open') this.emit({ ev: 'dc.open', dc: handle, id: channel.id })
  }
}
