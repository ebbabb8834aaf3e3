import { PageBridgeHost } from '../bridge/page-host.ts'
import { HEARTBEAT_INTERVAL_MS, HEARTBEAT_TAG, type Heartbeat } from '../rpc/heartbeat.ts'
import { refreshStatus } from './node-events.ts'

/**
 * What every open page does for the node: sends the heartbeat that keeps the Service Worker
 * (and so the node) alive, and hosts WebRTC connections for it when the browser has WebRTC
 * (without it, or with it switched off, the node stays reachable through its relays). When
 * the browser did stop the worker, the next heartbeat starts it again.
 */
export function keepNodeAlive (): void {
  const beat = (): void => {
    const heartbeat: Heartbeat = { tag: HEARTBEAT_TAG }
    navigator.serviceWorker.controller?.postMessage(heartbeat)
  }
  setInterval(beat, HEARTBEAT_INTERVAL_MS)
  if (typeof globalThis.RTCPeerConnection === 'function') new PageBridgeHost().start()
  beat()
  void refreshStatus()
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    beat()
    void refreshStatus()
  })
}
