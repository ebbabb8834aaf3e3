/// <reference lib="webworker" />
/**
 * The Service Worker: hosts the node, answers the UI's RPC, and keeps the app shell
 * available offline. Startup does almost nothing: the blockstore opens on first use, and the
 * network (libp2p, rooms) starts on the first RPC call or page heartbeat, never on a
 * gateway request, so cached content is served without waiting for it.
 */
// First: @libp2p/webrtc reads globalThis.RTCPeerConnection when it is evaluated.
import '../bridge/install.ts'
import { cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching'
import type { PrecacheEntry } from 'workbox-precaching'
import { bridgeHosts } from '../bridge/install.ts'
import { isBridgeOffer } from '../bridge/protocol.ts'
import { isHeartbeat } from '../rpc/heartbeat.ts'
import { isRpcRequest, serveRequest } from '../rpc/server.ts'
import { isAppClient } from './client-policy.ts'
import { answerGatewayRequest, isGatewayRequest } from './gateway-route.ts'
import { askPagesToHost, getNetwork } from './network-instance.ts'
import { rpcHandlers } from './rpc-handlers.ts'

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<PrecacheEntry | string> }

// Registered before Workbox's routes, so /ipfs/ never reaches the precache.
self.addEventListener('fetch', event => {
  const url = new URL(event.request.url)
  if (isGatewayRequest(url, self.location.origin)) event.respondWith(answerGatewayRequest(event.request))
})

cleanupOutdatedCaches()
precacheAndRoute(self.__WB_MANIFEST)

self.addEventListener('activate', event => {
  event.waitUntil(self.clients.claim())
})

/** Closes the WebRTC hosts whose pages are gone without saying goodbye. */
async function pruneBridgeHosts (): Promise<void> {
  await bridgeHosts.prune(async id => (await self.clients.get(id)) !== undefined)
}
setInterval(() => { void pruneBridgeHosts() }, 5_000)

self.addEventListener('message', event => {
  const data: unknown = event.data
  const fromApp = isAppClient(event.source, self.location.origin)
  if (typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'SKIP_WAITING') {
    if (fromApp) void self.skipWaiting()
    return
  }
  const port = event.ports[0]
  if (isRpcRequest(data) && port !== undefined) {
    event.waitUntil(serveRequest(rpcHandlers, data, port, fromApp))
    return
  }
  if (!fromApp) return
  if (isBridgeOffer(data) && port !== undefined) {
    bridgeHosts.add((event.source as Client).id, port)
    return
  }
  if (isHeartbeat(data)) {
    // The page's heartbeat keeps this worker alive and (re)starts the node after a restart.
    event.waitUntil(Promise.all([
      getNetwork().catch(() => undefined),
      pruneBridgeHosts(),
      bridgeHosts.clientIds.includes((event.source as Client).id) ? undefined : askPagesToHost()
    ]))
  }
})
