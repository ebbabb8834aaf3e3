/**
 * Events from the Service Worker to every open page of the app (all tabs): room messages,
 * member lists, the node's status. A BroadcastChannel reaches only this origin's documents;
 * content from `/ipfs/` has an opaque origin and hears nothing.
 */
export const EVENTS_CHANNEL = 'cairn-events'

/** An event as it is broadcast. */
export interface NodeEvent {
  type: string
  detail: unknown
}
