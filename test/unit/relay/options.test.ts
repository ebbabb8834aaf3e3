import { describe, expect, it } from 'vitest'
import { parseRelayArgs } from '../../../src/relay/options.ts'

describe('relay command line', () => {
  it('parses limits, announce addresses and the key file', () => {
    const options = parseRelayArgs(['--port', '0', '--announce', '/dns4/relay.example/tcp/443/wss', '--relayed-duration', '0', '--max-reservations', '5', '--key-file', 'k'])
    expect(options).toMatchObject({ port: 0, announce: ['/dns4/relay.example/tcp/443/wss'], keyFile: 'k', limits: { relayedDurationMs: 0, maxReservations: 5 } })
    expect(parseRelayArgs(['--help'])).toBe('help')
  })
  it('runs a home node by default, configured by its flags, or none with --no-home', () => {
    expect(parseRelayArgs([])).toMatchObject({ home: { dir: '.cairn/home', httpHost: '127.0.0.1', httpPort: 4004, httpAnnounce: [], corsOrigins: [], stallMs: 600_000 } })
    const options = parseRelayArgs(['--home', '/srv/cairn', '--http-port', '0', '--http-announce', '/dns4/relay.example/tcp/443/https', '--cors-origin', 'https://cairn.example', '--pin-stall', '30'])
    expect(options).toMatchObject({ home: { dir: '/srv/cairn', httpPort: 0, httpAnnounce: ['/dns4/relay.example/tcp/443/https'], corsOrigins: ['https://cairn.example'], stallMs: 30_000 } })
    expect(parseRelayArgs(['--no-home'])).not.toHaveProperty('home')
    expect(() => parseRelayArgs(['--no-home', '--http-port', '5'])).toThrow('--no-home and --http-port do not go together')
    expect(() => parseRelayArgs(['--cors-origin', 'https://cairn.example/app'])).toThrow('--cors-origin takes an origin')
    expect(() => parseRelayArgs(['--pin-stall', '0'])).toThrow('--pin-stall needs a whole number ≥ 1')
  })
  it('joins a DHT only with --dht, through the bootstrap peers given', () => {
    expect(parseRelayArgs([])).not.toHaveProperty('dht')
    const peer = '/ip4/10.0.0.2/tcp/4001/ws/p2p/12D3KooWExample'
    expect(parseRelayArgs(['--dht', '--dht-bootstrap', peer, '--dht-lan'])).toMatchObject({ dht: { bootstrap: [peer], lan: true } })
    expect(parseRelayArgs(['--dht'])).toMatchObject({ dht: { bootstrap: [], lan: false } })
    expect(() => parseRelayArgs(['--dht-bootstrap', peer])).toThrow('--dht-bootstrap and --dht-lan need --dht')
    expect(() => parseRelayArgs(['--dht', '--dht-bootstrap', '/ip4/10.0.0.2/tcp/4001/ws'])).toThrow('ending in /p2p/<PeerId>')
  })
  it('refuses bad values by name', () => {
    expect(() => parseRelayArgs(['--port', '70000'])).toThrow(expect.objectContaining({ name: 'RelayUsageError' }))
    expect(() => parseRelayArgs(['--max-topics', '0'])).toThrow(expect.objectContaining({ name: 'RelayUsageError' }))
    expect(() => parseRelayArgs(['--bogus'])).toThrow(expect.objectContaining({ name: 'RelayUsageError' }))
  })
})
