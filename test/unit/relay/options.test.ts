import { describe, expect, it } from 'vitest'
import { parseRelayArgs } from '../../../src/relay/options.ts'

describe('relay command line', () => {
  it('parses limits, announce addresses and the key file', () => {
    const options = parseRelayArgs(['--port', '0', '--announce', '/dns4/relay.example/tcp/443/wss', '--relayed-duration', '0', '--max-reservations', '5', '--key-file', 'k'])
    expect(options).toMatchObject({ port: 0, announce: ['/dns4/relay.example/tcp/443/wss'], keyFile: 'k', limits: { relayedDurationMs: 0, maxReservations: 5 } })
    expect(parseRelayArgs(['--help'])).toBe('help')
  })
  it('refuses bad values by name', () => {
    expect(() => parseRelayArgs(['--port', '70000'])).toThrow(expect.objectContaining({ name: 'RelayUsageError' }))
    expect(() => parseRelayArgs(['--max-topics', '0'])).toThrow(expect.objectContaining({ name: 'RelayUsageError' }))
    expect(() => parseRelayArgs(['--bogus'])).toThrow(expect.objectContaining({ name: 'RelayUsageError' }))
  })
})
