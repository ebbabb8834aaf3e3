import { parseArgs } from 'node:util'
import { DEFAULT_RELAY_LIMITS, type RelayLimits } from './limits.ts'
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from './room-archive.ts'
import type { HomeOptions } from './home/home-node.ts'
import type { DhtSettings } from './dht.ts'

/** The home node's settings from the command line (the app origins as a fixed list). */
export type HomeSettings = Omit<HomeOptions, 'corsOrigins'> & { corsOrigins: string[] }

/** Where the home node keeps its folder unless told. */
export const DEFAULT_HOME_DIR = '.cairn/home'
/** Its HTTP port unless told. */
export const DEFAULT_HTTP_PORT = 4004
/** A pin fails when no block arrives for this long unless told (s). */
export const DEFAULT_PIN_STALL_SECONDS = 600

/** The relay's settings, from the command line. */
export interface RelayOptions {
  host: string
  /** TCP port for WebSockets; 0 picks a free one. */
  port: number
  /** Addresses to announce instead of the listening ones (e.g. behind a TLS proxy). */
  announce: string[]
  /** File holding the relay's private key, so its PeerId survives restarts; created if missing. */
  keyFile?: string
  limits: RelayLimits
  /** Keep rooms' history and serve it (`--archive-rooms`); absent: off. */
  archive?: ArchiveLimits
  /** The home node: pins, a trustless gateway and routing on an HTTP port (absent with `--no-home`). */
  home?: HomeSettings
  /** Join a Kademlia DHT and announce what the home node keeps (`--dht`); absent: off. */
  dht?: DhtSettings
  quiet: boolean
}

/** A command line the relay cannot run with. */
export class RelayUsageError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'RelayUsageError'
  }
}

/** `npm run relay -- --help`. */
export const RELAY_USAGE = `usage: npm run relay -- [options]
  --host <ip>                    address to listen on (default 127.0.0.1)
  --port <n>                     WebSocket port, 0 for any free one (default 4003)
  --announce <multiaddr>         address to announce instead (repeatable), e.g. /dns4/relay.example/tcp/443/wss
  --key-file <path>              keep the relay's identity in this file (created if missing)
  --max-reservations <n>         circuit-relay reservations at once (default ${DEFAULT_RELAY_LIMITS.maxReservations})
  --max-connections <n>          connections at once, all peers (default ${DEFAULT_RELAY_LIMITS.maxConnections})
  --max-connections-per-peer <n> connections one peer may hold (default ${DEFAULT_RELAY_LIMITS.maxConnectionsPerPeer})
  --relayed-duration <seconds>   lifetime of a relayed connection, 0 = unlimited (default ${DEFAULT_RELAY_LIMITS.relayedDurationMs / 1000})
  --relayed-data <bytes>         data per relayed connection and direction, 0 = unlimited (default ${DEFAULT_RELAY_LIMITS.relayedDataBytes})
  --max-topics <n>               rooms forwarded at once (default ${DEFAULT_RELAY_LIMITS.maxTopics})
  --messages-per-second <n>      pubsub messages one peer may publish per second (default ${DEFAULT_RELAY_LIMITS.messagesPerSecond})
  --connections-per-second <n>   new connections per second from one IP address (default ${DEFAULT_RELAY_LIMITS.connectionsPerSecondPerAddress}; behind a proxy, all browsers share its address)
  --archive-rooms                keep the forwarded rooms' history and serve it to members (on in npm start)
  --archive-room-bytes <n>       history kept per room, oldest dropped first (default ${DEFAULT_ARCHIVE_LIMITS.roomBytes})
  --archive-total-bytes <n>      history kept for all rooms (default ${DEFAULT_ARCHIVE_LIMITS.totalBytes})
  --archive-dir <path>           keep the archive in this folder across restarts (default: memory only)
  --home <path>                  the home node's folder: pins, tokens, kept blocks, names (default ${DEFAULT_HOME_DIR})
  --no-home                      no home node: no pinning service, gateway or routing port
  --http-port <n>                the home node's HTTP port (Pinning Service API, /ipfs/, /routing/v1/), 0 for any (default ${DEFAULT_HTTP_PORT})
  --http-announce <multiaddr>    the HTTP port's public address (repeatable), e.g. /dns4/relay.example/tcp/443/https
  --cors-origin <origin>         a page origin allowed to call the Pinning Service API (repeatable), e.g. https://cairn.example
  --pin-stall <seconds>          a pin fails when no block arrives for this long (default ${DEFAULT_PIN_STALL_SECONDS})
  --dht                          join the Kademlia DHT (/ipfs/kad/1.0.0) and announce what the home node keeps
  --dht-bootstrap <multiaddr>    a DHT peer to join through (repeatable), ending in /p2p/<PeerId>
  --dht-lan                      a DHT on a LAN or loopback: keep private addresses (drops public ones)
  --quiet                        log only errors
  --help                         print this and exit

access tokens for the Pinning Service API (one per device):
  npm run relay -- token add <label> [--quota-bytes <n>] [--quota-pins <n>]   prints the new token once
  npm run relay -- token list
  npm run relay -- token rotate <label>     a new secret for the same device (its pins stay)
  npm run relay -- token revoke <label>     the device loses access; what it pinned is unpinned
  (each takes --home <path> too)`

function count (flag: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < min) throw new RelayUsageError(`--${flag} needs a whole number ≥ ${min}, got "${value}"`)
  return n
}

function archiveWithout (): never {
  throw new RelayUsageError('--archive-room-bytes, --archive-total-bytes and --archive-dir need --archive-rooms')
}

function homeSettings (values: { host?: string, home?: string, 'no-home'?: boolean, 'http-port'?: string, 'http-announce'?: string[], 'cors-origin'?: string[], 'pin-stall'?: string }): HomeSettings | undefined {
  const given = ['home', 'http-port', 'http-announce', 'cors-origin', 'pin-stall'].filter(flag => values[flag as keyof typeof values] !== undefined)
  if (values['no-home'] === true) {
    if (given.length > 0) throw new RelayUsageError(`--no-home and --${given[0]} do not go together`)
    return undefined
  }
  const httpPort = count('http-port', values['http-port'], DEFAULT_HTTP_PORT)
  if (httpPort > 65535) throw new RelayUsageError(`--http-port must be at most 65535, got ${httpPort}`)
  for (const origin of values['cors-origin'] ?? []) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin) throw new RelayUsageError(`--cors-origin takes an origin such as https://cairn.example, got "${origin}"`)
  }
  return {
    dir: values.home ?? DEFAULT_HOME_DIR,
    httpHost: values.host ?? '127.0.0.1',
    httpPort,
    httpAnnounce: values['http-announce'] ?? [],
    corsOrigins: values['cors-origin'] ?? [],
    stallMs: count('pin-stall', values['pin-stall'], DEFAULT_PIN_STALL_SECONDS, 1) * 1000
  }
}

function dhtSettings (values: { dht?: boolean, 'dht-bootstrap'?: string[], 'dht-lan'?: boolean }): DhtSettings | undefined {
  const bootstrap = values['dht-bootstrap'] ?? []
  if (values.dht !== true) {
    if (bootstrap.length > 0 || values['dht-lan'] === true) throw new RelayUsageError('--dht-bootstrap and --dht-lan need --dht')
    return undefined
  }
  for (const address of bootstrap) {
    if (!/\/p2p\/\w+$/.test(address)) throw new RelayUsageError(`--dht-bootstrap takes a multiaddr ending in /p2p/<PeerId>, got "${address}"`)
  }
  return { bootstrap, lan: values['dht-lan'] === true }
}

/** Parses the relay's arguments; throws `RelayUsageError` with a readable message. */
export function parseRelayArgs (args: string[]): RelayOptions | 'help' {
  let values
  try {
    values = parseArgs({
      args,
      strict: true,
      options: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string' },
        announce: { type: 'string', multiple: true },
        'key-file': { type: 'string' },
        'max-reservations': { type: 'string' },
        'max-connections': { type: 'string' },
        'max-connections-per-peer': { type: 'string' },
        'relayed-duration': { type: 'string' },
        'relayed-data': { type: 'string' },
        'max-topics': { type: 'string' },
        'messages-per-second': { type: 'string' },
        'connections-per-second': { type: 'string' },
        'archive-rooms': { type: 'boolean', default: false },
        'archive-room-bytes': { type: 'string' },
        'archive-total-bytes': { type: 'string' },
        'archive-dir': { type: 'string' },
        home: { type: 'string' },
        'no-home': { type: 'boolean', default: false },
        'http-port': { type: 'string' },
        'http-announce': { type: 'string', multiple: true },
        'cors-origin': { type: 'string', multiple: true },
        'pin-stall': { type: 'string' },
        dht: { type: 'boolean', default: false },
        'dht-bootstrap': { type: 'string', multiple: true },
        'dht-lan': { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false }
      }
    }).values
  } catch (err) {
    throw new RelayUsageError((err as Error).message)
  }
  if (values.help === true) return 'help'
  const port = count('port', values.port, 4003)
  if (port > 65535) throw new RelayUsageError(`--port must be at most 65535, got ${port}`)
  const d = DEFAULT_RELAY_LIMITS
  const home = homeSettings(values)
  const dht = dhtSettings(values)
  return {
    ...(home === undefined ? {} : { home }),
    ...(dht === undefined ? {} : { dht }),
    host: values.host ?? '127.0.0.1',
    port,
    announce: values.announce ?? [],
    ...(values['key-file'] !== undefined ? { keyFile: values['key-file'] } : {}),
    quiet: values.quiet === true,
    ...(values['archive-rooms'] === true
      ? {
          archive: {
            roomBytes: count('archive-room-bytes', values['archive-room-bytes'], DEFAULT_ARCHIVE_LIMITS.roomBytes, 1024),
            totalBytes: count('archive-total-bytes', values['archive-total-bytes'], DEFAULT_ARCHIVE_LIMITS.totalBytes, 1024),
            ...(values['archive-dir'] !== undefined ? { dir: values['archive-dir'] } : {})
          }
        }
      : values['archive-room-bytes'] !== undefined || values['archive-total-bytes'] !== undefined || values['archive-dir'] !== undefined
        ? archiveWithout()
        : {}),
    limits: {
      maxReservations: count('max-reservations', values['max-reservations'], d.maxReservations, 1),
      maxConnections: count('max-connections', values['max-connections'], d.maxConnections, 1),
      maxConnectionsPerPeer: count('max-connections-per-peer', values['max-connections-per-peer'], d.maxConnectionsPerPeer, 1),
      relayedDurationMs: count('relayed-duration', values['relayed-duration'], d.relayedDurationMs / 1000) * 1000,
      relayedDataBytes: count('relayed-data', values['relayed-data'], d.relayedDataBytes),
      maxTopics: count('max-topics', values['max-topics'], d.maxTopics, 1),
      messagesPerSecond: count('messages-per-second', values['messages-per-second'], d.messagesPerSecond, 1),
      connectionsPerSecondPerAddress: count('connections-per-second', values['connections-per-second'], d.connectionsPerSecondPerAddress, 1)
    }
  }
}
