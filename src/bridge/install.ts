/**
 * Installs the WebRTC bridge's proxies as the Service Worker's RTCPeerConnection,
 * RTCSessionDescription and RTCIceCandidate. `@libp2p/webrtc` reads these globals when its
 * module is evaluated, so this module must be imported before it (first import of sw.ts).
 */
import { BridgeHosts } from './bridge-hosts.ts'
import { ProxyIceCandidate, ProxyPeerConnection, ProxySessionDescription } from './proxy-peer-connection.ts'

/** The pages hosting WebRTC for this worker. */
export const bridgeHosts = new BridgeHosts()

class BridgedPeerConnection extends ProxyPeerConnection {
  constructor (config?: RTCConfiguration) {
    super(bridgeHosts.pick(), config)
  }
}

const scope = globalThis as Record<string, unknown>
if (scope.RTCPeerConnection === undefined) {
  scope.RTCPeerConnection = BridgedPeerConnection
  scope.RTCSessionDescription = ProxySessionDescription
  scope.RTCIceCandidate = ProxyIceCandidate
}
