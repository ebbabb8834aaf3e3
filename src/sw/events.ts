import { EVENTS_CHANNEL, type NodeEvent } from '../rpc/events.ts'

let channel: BroadcastChannel | undefined

/** Sends an event to every open page of the app (see `rpc/events.ts`). */
export function broadcast (event: NodeEvent): void {
  channel ??= new BroadcastChannel(EVENTS_CHANNEL)
  channel.postMessage(event)
}
