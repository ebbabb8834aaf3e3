/** What the relay allows; every field is a command-line flag of `npm run relay`. */
export interface RelayLimits {
  /** Circuit-relay reservations held at once. */
  maxReservations: number
  /** Connections one peer may hold to the relay at once. */
  maxConnectionsPerPeer: number
  /** Connections the relay holds at once, all peers together. */
  maxConnections: number
  /** How long one relayed connection may last, in ms; 0 lifts the limit. */
  relayedDurationMs: number
  /** Bytes one relayed connection may carry each way; 0 lifts the limit. */
  relayedDataBytes: number
  /** Pubsub topics (rooms) the relay forwards at once. */
  maxTopics: number
  /** Pubsub messages per second one peer may publish through the relay (burst: 5 s worth). */
  messagesPerSecond: number
  /**
   * New inbound connections per second from one IP address. libp2p's default is 5, too few
   * behind a TLS proxy, where every browser arrives from the proxy's address.
   */
  connectionsPerSecondPerAddress: number
}

/** Defaults: a small community relay. Relayed connections keep libp2p's usual limits. */
export const DEFAULT_RELAY_LIMITS: RelayLimits = {
  maxReservations: 128,
  maxConnectionsPerPeer: 8,
  maxConnections: 512,
  relayedDurationMs: 2 * 60_000,
  relayedDataBytes: 128 * 1024,
  maxTopics: 256,
  messagesPerSecond: 20,
  connectionsPerSecondPerAddress: 100
}
