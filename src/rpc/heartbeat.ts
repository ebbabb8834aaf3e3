/**
 * Open pages keep the Service Worker alive: browsers stop an idle worker after ~30 s, and a
 * message from a page counts as activity (an open WebSocket does not). Each page posts a
 * heartbeat this often; the worker also uses it to (re)start the node and to ask for the
 * page's WebRTC bridge port if it has none.
 */
export const HEARTBEAT_INTERVAL_MS = 20_000

/** Marks a heartbeat message. */
export const HEARTBEAT_TAG = 'cairn-heartbeat/1'

/** A page's heartbeat. */
export interface Heartbeat {
  tag: typeof HEARTBEAT_TAG
}

/** True for a heartbeat. */
export function isHeartbeat (data: unknown): data is Heartbeat {
  return typeof data === 'object' && data !== null && (data as Heartbeat).tag === HEARTBEAT_TAG
}
