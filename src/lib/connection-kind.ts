/** How a connection reaches its peer, as shown on the peers page. */
export type ConnectionKind = 'webrtc' | 'webrtc-direct' | 'relayed' | 'websocket' | 'other'

/**
 * The kind of a connection from its remote address. A WebRTC connection dialed through a
 * relay keeps the circuit in its address (`…/p2p-circuit/webrtc/p2p/…`) but is direct, so
 * `/webrtc` is checked first. `/webrtc-direct` is WebRTC to a server that listens on it (its
 * certificate hash in the address, no signalling).
 */
export function connectionKind (remoteAddr: string): ConnectionKind {
  if (/\/webrtc(\/|$)/.test(remoteAddr)) return 'webrtc'
  if (remoteAddr.includes('/webrtc-direct')) return 'webrtc-direct'
  if (remoteAddr.includes('/p2p-circuit')) return 'relayed'
  if (/\/wss?(\/|$)|\/tls\/ws(\/|$)/.test(remoteAddr)) return 'websocket'
  return 'other'
}
