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

let channel: BroadcastChannel | undefined

/** Sends an event to every open page. */
export function broadcast (event: NodeEvent): void {
  channel ??= new BroadcastChannel(EVENTS_CHANNEL)
  channel.postMessage(event)
}
