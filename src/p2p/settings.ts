import { multiaddr } from '@multiformats/multiaddr'

/** Network settings, kept in IndexedDB and edited on the settings page. */
export interface NetworkSettings {
  /** Relay/bootstrap multiaddrs; null means "the relay that served this app", if any. */
  relays: string[] | null
  /** Dial loopback, private and `ws://` addresses; null means "on when the app is served from localhost". */
  allowLocalAddresses: boolean | null
  /** STUN/TURN URLs for WebRTC (none needed on one machine or one LAN). */
  iceServers: string[]
}

/** A setting that cannot be used. */
export class InvalidSettingError extends Error {
  override name = 'InvalidSettingError'
}

/** Settings before the user changes anything. */
export const DEFAULT_SETTINGS: NetworkSettings = { relays: null, allowLocalAddresses: null, iceServers: [] }

/** Checks settings from the UI; throws `InvalidSettingError` naming the bad value. */
export function checkSettings (value: unknown): NetworkSettings {
  if (typeof value !== 'object' || value === null) throw new InvalidSettingError('settings must be an object')
  const v = value as Partial<Record<keyof NetworkSettings, unknown>>
  let relays: string[] | null = null
  if (v.relays !== null && v.relays !== undefined) {
    if (!Array.isArray(v.relays)) throw new InvalidSettingError('relays must be a list of multiaddrs')
    relays = v.relays.map(r => {
      if (typeof r !== 'string') throw new InvalidSettingError('relays must be a list of multiaddrs')
      let parsed
      try {
        parsed = multiaddr(r.trim())
      } catch (err) {
        throw new InvalidSettingError(`"${r}" is not a multiaddr: ${(err as Error).message}`)
      }
      if (parsed.getComponents().find(c => c.name === 'p2p') === undefined) throw new InvalidSettingError(`"${r}" needs its relay's PeerId at the end (/p2p/12D3Koo…)`)
      return parsed.toString()
    })
  }
  const allow = v.allowLocalAddresses
  if (allow !== null && allow !== undefined && typeof allow !== 'boolean') throw new InvalidSettingError('allowLocalAddresses must be true, false or null')
  const ice = v.iceServers ?? []
  if (!Array.isArray(ice) || ice.some(u => typeof u !== 'string' || !/^(stun|stuns|turn|turns):/.test(u))) {
    throw new InvalidSettingError('ICE servers must be stun:, stuns:, turn: or turns: URLs')
  }
  return { relays, allowLocalAddresses: allow ?? null, iceServers: ice as string[] }
}
