import type { NetworkEvent } from '../p2p/network-service.ts'

/**
 * Events from the Service Worker to every open page of the app (all tabs): room messages,
 * member lists, the node's status. A BroadcastChannel reaches only this origin's documents;
 * content from `/ipfs/` has an opaque origin and hears nothing.
 */
export const EVENTS_CHANNEL = 'cairn-events'

/** Every event as it is broadcast: a type and its detail, one union member per type. */
export type NodeEvent = NetworkEvent

/** An event type. */
export type NodeEventType = NodeEvent['type']
