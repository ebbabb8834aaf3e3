/**
 * The WebRTC bridge's wire format. A Service Worker has no RTCPeerConnection, so an open
 * page hosts the real ones and the worker drives them over a MessagePort: the worker sends
 * commands, the page sends replies and events, each side in batches (an array per message,
 * see `batched-port.ts`). Payloads travel as transferred ArrayBuffers. Handles name objects
 * across the port: the worker's start with "s", the page's with "p".
 */

/** Marks bridge messages posted to the Service Worker (the page offering to host). */
export const BRIDGE_TAG = 'cairn-bridge/2'

/** A session description as it crosses the port. */
export interface SessionDescriptionData {
  type: RTCSdpType
  sdp: string
}

/** Worker → page. */
export type BridgeCommand =
  | { op: 'pc.new', pc: string, config: RTCConfiguration }
  | { op: 'pc.call', pc: string, call: number, method: 'createOffer' | 'createAnswer' }
  | { op: 'pc.call', pc: string, call: number, method: 'setLocalDescription' | 'setRemoteDescription', description: SessionDescriptionData }
  | { op: 'pc.call', pc: string, call: number, method: 'addIceCandidate', candidate: RTCIceCandidateInit }
  | { op: 'pc.close', pc: string }
  | { op: 'dc.new', pc: string, dc: string, label: string, init: RTCDataChannelInit }
  | { op: 'dc.send', dc: string, data: ArrayBuffer | string }
  | { op: 'dc.close', dc: string }

/** Page → worker. */
export type BridgeEvent =
  | { ev: 'reply', call: number, ok: true, description?: SessionDescriptionData | null }
  | { ev: 'reply', call: number, ok: false, error: { name: string, message: string } }
  | { ev: 'pc.state', pc: string, connectionState: RTCPeerConnectionState }
  | { ev: 'pc.ice', pc: string, candidate: RTCIceCandidateInit | null }
  | { ev: 'pc.iceerror', pc: string, errorText: string }
  | { ev: 'pc.datachannel', pc: string, dc: string, label: string, protocol: string, id: number | null, readyState: RTCDataChannelState }
  | { ev: 'dc.open', dc: string, id: number | null }
  | { ev: 'dc.close', dc: string }
  | { ev: 'dc.error', dc: string, message: string }
  | { ev: 'dc.message', dc: string, data: ArrayBuffer | string }
  /** After a send, and when the page's buffer drains: bytes handed to the real channel, and its buffer. */
  | { ev: 'dc.buffered', dc: string, sent: number, amount: number }
  /** The page is going away: everything it hosts closes. */
  | { ev: 'bye' }

/** Posted by a page to the Service Worker, with a MessagePort, to host connections. */
export interface BridgeOffer {
  tag: typeof BRIDGE_TAG
  type: 'host'
}

/** Posted by the Service Worker to pages when it needs (new) hosts, e.g. after a restart. */
export interface BridgeRequest {
  tag: typeof BRIDGE_TAG
  type: 'need-host'
}

/** True for a page's offer to host. */
export function isBridgeOffer (data: unknown): data is BridgeOffer {
  return typeof data === 'object' && data !== null && (data as BridgeOffer).tag === BRIDGE_TAG && (data as BridgeOffer).type === 'host'
}

/** True for the worker's request for hosts. */
export function isBridgeRequest (data: unknown): data is BridgeRequest {
  return typeof data === 'object' && data !== null && (data as BridgeRequest).tag === BRIDGE_TAG && (data as BridgeRequest).type === 'need-host'
}

/**
 * A copy of a payload in an ArrayBuffer of its own, safe to transfer: the sender may still
 * hold (views of) the original.
 */
export function ownBuffer (data: ArrayBuffer | ArrayBufferView): ArrayBuffer {
  if (data instanceof ArrayBuffer) return data.slice(0)
  const copy = new Uint8Array(data.byteLength)
  copy.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
  return copy.buffer
}
