import { signal } from '@preact/signals'
import { useEffect } from 'preact/hooks'
import type { NetworkStatus } from '../p2p/network-service.ts'
import { EVENTS_CHANNEL, type NodeEvent, type NodeEventType } from '../rpc/events.ts'
import { rpc } from './rpc.ts'

/** The node's connectivity, kept current from the worker's events. */
export const nodeStatus = signal<NetworkStatus | null>(null)

const channel = new BroadcastChannel(EVENTS_CHANNEL)
const listeners = new Set<(event: NodeEvent) => void>()
channel.onmessage = (message: MessageEvent<NodeEvent>) => {
  const event = message.data
  if (event.type === 'node.status') nodeStatus.value = event.detail
  for (const listener of listeners) listener(event)
}

/** Asks the node for its status (which starts the network if it is not running). */
export async function refreshStatus (): Promise<void> {
  try {
    nodeStatus.value = await rpc.call('node.status', {})
  } catch (err) {
    nodeStatus.value = { state: 'failed', relays: [], webrtcHosts: 0, error: (err as Error).message }
  }
}

/** Calls `handler` with every event the worker broadcasts of one of `types`, while mounted. */
export function useNodeEvents<T extends NodeEventType> (types: T[], handler: (event: Extract<NodeEvent, { type: T }>) => void, deps: unknown[]): void {
  useEffect(() => {
    const listener = (event: NodeEvent): void => {
      if ((types as NodeEventType[]).includes(event.type)) handler(event as Extract<NodeEvent, { type: T }>)
    }
    listeners.add(listener)
    return () => { listeners.delete(listener) }
  }, deps)
}
