import type { CID } from 'multiformats/cid'

/** Which kind of source a broker is, for the UI and the attempt list of a failed fetch. */
export type BrokerKind = 'bitswap' | 'gateway'

/** What a broker returns: bytes that are not verified yet, and who sent them. */
export interface RetrievedBlock {
  bytes: Uint8Array
  /** The peer (PeerId) or gateway (origin) the bytes came from. */
  from: string
}

/**
 * One way to get a block from outside the node — Bitswap, one trustless gateway — in the
 * shape of Helia's block brokers. A broker's bytes are never trusted: the exchange verifies
 * them against the CID before anyone sees them. `retrieve` rejects when the source does not
 * have the block (or gave up) and must stop when `signal` aborts.
 */
export interface BlockBroker {
  /** Unique among the node's brokers: `bitswap`, or the gateway's URL. */
  readonly name: string
  readonly kind: BrokerKind
  retrieve(cid: CID, options: { signal: AbortSignal }): Promise<RetrievedBlock>
  /**
   * True when the broker has nobody to ask right now (Bitswap with no connected Bitswap peer):
   * once every other source has answered and provider lookups are done, the exchange stops
   * waiting for an idle broker instead of running into the timeout.
   */
  idle?(): boolean
}
