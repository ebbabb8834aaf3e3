import { describe, expect, it } from 'vitest'
import * as dagCbor from '@ipld/dag-cbor'
import { connectionKind } from '../../src/p2p/connection-kind.ts'
import { checkSettings } from '../../src/p2p/settings.ts'
import { parseRelayArgs } from '../../src/relay/options.ts'
import { checkNick, checkRoomName, checkText, decodeRoomMessage, encodeRoomMessage, type RoomMessage } from '../../src/rooms/message.ts'
import { RateLimiter } from '../../src/rooms/rate-limiter.ts'

const sample: RoomMessage = { v: 1, kind: 'message', room: 'lobby ☕', author: '12D3KooWExample', nick: 'ada', text: 'hi "there"\n{"/": "not a link"}', timestamp: 1_763_000_000_000 }

describe('room messages (DAG-CBOR by the WASM module)', () => {
  it('encodes the versioned schema exactly as @ipld/dag-cbor does, and decodes it back', () => {
    const bytes = encodeRoomMessage(sample)
    expect(bytes).toEqual(dagCbor.encode(sample))
    expect(decodeRoomMessage(bytes)).toEqual(sample)
  })

  it('refuses malformed input by name', () => {
    const bad = [
      new Uint8Array([0xff]),
      dagCbor.encode([1, 2]),
      dagCbor.encode({ ...sample, v: 2 }),
      dagCbor.encode({ ...sample, kind: 'shout' }),
      dagCbor.encode({ ...sample, timestamp: -1 }),
      dagCbor.encode({ ...sample, nick: 'x'.repeat(33) }),
      dagCbor.encode({ v: 1, kind: 'message', room: 'lobby' }),
      new Uint8Array(64 * 1024 + 1)
    ]
    for (const bytes of bad) expect(() => decodeRoomMessage(bytes)).toThrow(expect.objectContaining({ name: 'MalformedRoomMessageError' }))
  })

  it('checks room names, nicknames and text', () => {
    expect(checkRoomName('General chat')).toBe('General chat')
    for (const name of ['', ' lobby', 'a'.repeat(101), 'tab\there', '_peer-discovery._p2p._pubsub', 'cairn.x', 42]) {
      expect(() => checkRoomName(name)).toThrow(expect.objectContaining({ name: 'InvalidRoomNameError' }))
    }
    expect(checkNick('  ada ')).toBe('ada')
    for (const nick of ['', '   ', 'x'.repeat(33), 'bell\u0007']) expect(() => checkNick(nick)).toThrow(expect.objectContaining({ name: 'InvalidChatInputError' }))
    for (const text of ['', '  ', 'x'.repeat(4001), null]) expect(() => checkText(text)).toThrow(expect.objectContaining({ name: 'InvalidChatInputError' }))
  })
})

describe('rate limiter', () => {
  it('allows a burst, then the refill rate, per key', () => {
    let now = 0
    const limiter = new RateLimiter({ perSecond: 2, burst: 3 }, () => now)
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([true, true, true, false])
    expect(limiter.take('b')).toBe(true)
    now = 500
    expect(limiter.take('a')).toBe(true)
    expect(limiter.take('a')).toBe(false)
    expect(() => new RateLimiter({ perSecond: 0, burst: 1 })).toThrow(RangeError)
  })
})

describe('connection kinds', () => {
  it('tells WebRTC (even dialed through a circuit), relayed and WebSocket connections apart', () => {
    expect(connectionKind('/ip4/127.0.0.1/tcp/4003/ws/p2p/12D3KooWA/p2p-circuit/webrtc/p2p/12D3KooWB')).toBe('webrtc')
    expect(connectionKind('/webrtc/p2p/12D3KooWB')).toBe('webrtc')
    expect(connectionKind('/ip4/127.0.0.1/tcp/4003/ws/p2p/12D3KooWA/p2p-circuit/p2p/12D3KooWB')).toBe('relayed')
    expect(connectionKind('/ip4/127.0.0.1/tcp/4003/ws/p2p/12D3KooWA')).toBe('websocket')
    expect(connectionKind('/dns4/relay.example/tcp/443/tls/ws')).toBe('websocket')
    expect(connectionKind('/ip4/1.2.3.4/tcp/4001')).toBe('other')
  })
})

describe('settings', () => {
  const relay = '/ip4/127.0.0.1/tcp/4003/ws/p2p/12D3KooWQGWuZJKBwEbWJJTKDphPmNE2dBw7CMxkc3dhM4EdxcxW'
  it('accepts relay multiaddrs with a PeerId, auto or explicit local dialing, and STUN/TURN URLs', () => {
    expect(checkSettings({ relays: [` ${relay} `], allowLocalAddresses: true, iceServers: ['stun:stun.example.org:3478'] }))
      .toEqual({ relays: [relay], allowLocalAddresses: true, iceServers: ['stun:stun.example.org:3478'] })
    expect(checkSettings({ relays: null, allowLocalAddresses: null, iceServers: [] })).toEqual({ relays: null, allowLocalAddresses: null, iceServers: [] })
  })
  it('says which value is wrong', () => {
    expect(() => checkSettings({ relays: ['/ip4/127.0.0.1/tcp/4003/ws'] })).toThrow(/needs its relay's PeerId/)
    expect(() => checkSettings({ relays: ['nonsense'] })).toThrow(/is not a multiaddr/)
    expect(() => checkSettings({ relays: null, allowLocalAddresses: 'yes' })).toThrow(/allowLocalAddresses/)
    expect(() => checkSettings({ relays: null, iceServers: ['http://x'] })).toThrow(/ICE servers/)
  })
})

describe('relay command line', () => {
  it('parses limits, announce addresses and the key file', () => {
    const options = parseRelayArgs(['--port', '0', '--announce', '/dns4/relay.example/tcp/443/wss', '--relayed-duration', '0', '--max-reservations', '5', '--key-file', 'k'])
    expect(options).toMatchObject({ port: 0, announce: ['/dns4/relay.example/tcp/443/wss'], keyFile: 'k', limits: { relayedDurationMs: 0, maxReservations: 5 } })
    expect(parseRelayArgs(['--help'])).toBe('help')
  })
  it('refuses bad values with a readable message', () => {
    expect(() => parseRelayArgs(['--port', '70000'])).toThrow(/at most 65535/)
    expect(() => parseRelayArgs(['--max-topics', '0'])).toThrow(/--max-topics needs a whole number ≥ 1/)
    expect(() => parseRelayArgs(['--bogus'])).toThrow(expect.objectContaining({ name: 'RelayUsageError' }))
  })
})
