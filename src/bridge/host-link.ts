import type { BridgeCommand, SessionDescriptionData } from './protocol.ts'

/** A call on the page's real RTCPeerConnection, before the host numbers it. */
export type PeerConnectionCall = Extract<BridgeCommand, { op: 'pc.call' }> extends infer C
  ? C extends unknown ? Omit<C, 'call'> : never
  : never

/** What a data-channel proxy needs from the page hosting its real channel. */
export interface ChannelLink {
  send(command: BridgeCommand, transfer?: Transferable[]): void
  forgetChannel(handle: string): void
}

/**
 * What a peer-connection proxy needs from the page hosting its real connection. Generic in
 * the proxy types, so the proxies and the host (`bridge-host.ts`) do not import each other.
 */
export interface PeerConnectionLink<PC, DC> extends ChannelLink {
  call(command: PeerConnectionCall): Promise<SessionDescriptionData | null | undefined>
  addPeerConnection(pc: PC): void
  forgetPeerConnection(handle: string): void
  addChannel(channel: DC, pc: PC): void
  closeChannelsOf(pc: PC): void
}
