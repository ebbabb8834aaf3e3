import type { JSX } from 'preact'
import { nodeStatus } from '../node-events.ts'
import { routeHash } from '../router.ts'

const labels = {
  starting: 'starting…',
  online: 'online',
  offline: 'offline',
  'no-relay': 'no relay',
  failed: 'failed'
} as const

/** The node's state in the header: starting, online, offline, no relay, or failed. */
export function NodeStatusBadge (): JSX.Element {
  const status = nodeStatus.value
  const state = status?.state ?? 'starting'
  const connected = status?.relays.filter(r => r.connected).length ?? 0
  const title = state === 'failed'
    ? `The network could not start: ${status?.error ?? ''}`
    : state === 'no-relay'
      ? 'No relay is configured: set one in Settings to reach other peers. Your stored content works offline.'
      : state === 'offline'
        ? `Not connected to any of ${status?.relays.length ?? 0} relays; retrying. Stored content still works.`
        : state === 'online' ? `Connected to ${connected} relay(s)` : 'The node is starting'
  return <a class={`status status-${state}`} href={routeHash({ view: 'peers' })} title={title} data-testid='node-status' data-state={state}>● {labels[state]}</a>
}
