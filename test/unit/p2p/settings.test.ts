import { describe, expect, it } from 'vitest'
import { checkSettings } from '../../../src/p2p/settings.ts'

describe('settings', () => {
  const relay = '/ip4/127.0.0.1/tcp/4003/ws/p2p/12D3KooWQGWuZJKBwEbWJJTKDphPmNE2dBw7CMxkc3dhM4EdxcxW'
  it('accepts relay multiaddrs with a PeerId, auto or explicit local dialing, and STUN/TURN URLs', () => {
    expect(checkSettings({ relays: [` ${relay} `], allowLocalAddresses: true, iceServers: ['stun:stun.example.org:3478'] }))
      .toEqual({ relays: [relay], allowLocalAddresses: true, iceServers: ['stun:stun.example.org:3478'] })
    expect(checkSettings({ relays: null, allowLocalAddresses: null, iceServers: [] })).toEqual({ relays: null, allowLocalAddresses: null, iceServers: [] })
  })
  it('says which value is wrong', () => {
    expect(() => checkSettings({ relays: ['/ip4/127.0.0.1/tcp/4003/ws'] })).toThrow(expect.objectContaining({ name: 'InvalidSettingError' }))
    expect(() => checkSettings({ relays: ['nonsense'] })).toThrow(expect.objectContaining({ name: 'InvalidSettingError' }))
    expect(() => checkSettings({ relays: null, allowLocalAddresses: 'yes' })).toThrow(expect.objectContaining({ name: 'InvalidSettingError' }))
    expect(() => checkSettings({ relays: null, iceServers: ['http://x'] })).toThrow(expect.objectContaining({ name: 'InvalidSettingError' }))
  })
})
