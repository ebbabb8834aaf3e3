import { describe, expect, it } from 'vitest'
import { connectionKind } from '../../../src/lib/connection-kind.ts'

describe('connection kinds', () => {
  it('tells WebRTC (even dialed through a circuit), WebRTC-direct, relayed and WebSocket connections apart', () => {
    expect(connectionKind('/ip4/127.0.0.1/tcp/4003/ws/p2p/12D3KooWA/p2p-circuit/webrtc/p2p/12D3KooWB')).toBe('webrtc')
    expect(connectionKind('/webrtc/p2p/12D3KooWB')).toBe('webrtc')
    expect(connectionKind('/ip4/127.0.0.1/tcp/4003/ws/p2p/12D3KooWA/p2p-circuit/p2p/12D3KooWB')).toBe('relayed')
    expect(connectionKind('/ip4/127.0.0.1/tcp/4003/ws/p2p/12D3KooWA')).toBe('websocket')
    expect(connectionKind('/dns4/relay.example/tcp/443/tls/ws')).toBe('websocket')
    expect(connectionKind('/ip4/127.0.0.1/udp/45313/webrtc-direct/certhash/uEiC_R-nasxBI2Rz/p2p/12D3KooWK')).toBe('webrtc-direct')
    expect(connectionKind('/ip4/1.2.3.4/tcp/4001')).toBe('other')
  })
})
