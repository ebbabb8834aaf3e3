import type { ChannelLink } from './host-link.ts'
import { eventWith, HandlerTarget } from './event-handlers.ts'
import { ownBuffer } from './protocol.ts'

/** Ids for channels the worker creates, until the page reports the real one; never a real SCTP id. */
let provisionalId = 70_000

/**
 * An RTCDataChannel look-alike in the Service Worker. The real channel lives in a page;
 * sends are copied into transferred ArrayBuffers, and `bufferedAmount` counts what is on
 * its way to the page plus what the page's channel still buffers.
 */
export class ProxyDataChannel extends HandlerTarget {
  readonly label: string
  readonly protocol: string
  readonly ordered = true
  readonly negotiated = false
  binaryType: BinaryType = 'arraybuffer'
  readyState: RTCDataChannelState
  id: number | null
  bufferedAmountLowThreshold = 0
  private inFlight = 0
  private pageBuffered = 0
  private readonly host: ChannelLink
  readonly handle: string

  constructor (host: ChannelLink, handle: string, init: { label: string, protocol?: string, id?: number | null, readyState?: RTCDataChannelState }) {
    super()
    this.host = host
    this.handle = handle
    this.label = init.label
    this.protocol = init.protocol ?? ''
    this.id = init.id ?? provisionalId++
    this.readyState = init.readyState ?? 'connecting'
  }

  get bufferedAmount (): number { return this.inFlight + this.pageBuffered }

  get onopen (): ((event: Event) => unknown) | null { return this.getHandler('open') }
  set onopen (handler: ((event: Event) => unknown) | null) { this.setHandler('open', handler) }
  get onclose (): ((event: Event) => unknown) | null { return this.getHandler('close') }
  set onclose (handler: ((event: Event) => unknown) | null) { this.setHandler('close', handler) }
  get onerror (): ((event: Event) => unknown) | null { return this.getHandler('error') }
  set onerror (handler: ((event: Event) => unknown) | null) { this.setHandler('error', handler) }
  get onmessage (): ((event: MessageEvent) => unknown) | null { return this.getHandler('message') }
  set onmessage (handler: ((event: MessageEvent) => unknown) | null) { this.setHandler('message', handler) }
  get onbufferedamountlow (): ((event: Event) => unknown) | null { return this.getHandler('bufferedamountlow') }
  set onbufferedamountlow (handler: ((event: Event) => unknown) | null) { this.setHandler('bufferedamountlow', handler) }

  /** Sends bytes (or text) through the page's channel. Throws when not open, like the real one. */
  send (data: string | ArrayBuffer | ArrayBufferView | Blob): void {
    if (this.readyState !== 'open') throw new DOMException(`RTCDataChannel.readyState is '${this.readyState}'`, 'InvalidStateError')
    if (data instanceof Blob) throw new TypeError('the WebRTC bridge does not send Blobs')
    if (typeof data === 'string') {
      this.inFlight += data.length
      this.host.send({ op: 'dc.send', dc: this.handle, data })
      return
    }
    const buffer = ownBuffer(data)
    this.inFlight += buffer.byteLength
    this.host.send({ op: 'dc.send', dc: this.handle, data: buffer }, [buffer])
  }

  close (): void {
    if (this.readyState === 'closing' || this.readyState === 'closed') return
    this.readyState = 'closing'
    this.host.send({ op: 'dc.close', dc: this.handle })
  }

  /** The page reported the channel open. */
  opened (id: number | null): void {
    if (id !== null) this.id = id
    if (this.readyState !== 'connecting') return
    this.readyState = 'open'
    this.dispatchEvent(new Event('open'))
  }

  /** A message arrived from the remote peer. */
  received (data: ArrayBuffer | string): void {
    if (this.readyState === 'closed') return
    this.dispatchEvent(eventWith('message', { data }))
  }

  /** The page handed bytes to its channel, which now buffers `amount`. */
  buffered (sent: number, amount: number): void {
    const before = this.bufferedAmount
    this.inFlight = Math.max(0, this.inFlight - sent)
    this.pageBuffered = amount
    if (before > this.bufferedAmountLowThreshold && this.bufferedAmount <= this.bufferedAmountLowThreshold) {
      this.dispatchEvent(new Event('bufferedamountlow'))
    }
  }

  failed (message: string): void {
    this.dispatchEvent(eventWith('error', { error: new DOMException(message, 'OperationError') }))
  }

  /** The channel closed (remotely, by us, or because its page went away). */
  closed (): void {
    if (this.readyState === 'closed') return
    this.readyState = 'closed'
    this.inFlight = 0
    this.pageBuffered = 0
    this.host.forgetChannel(this.handle)
    this.dispatchEvent(new Event('close'))
  }
}
