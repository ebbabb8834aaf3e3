/// <reference lib="webworker" />
/**
 * The Service Worker: hosts the node, answers the UI's RPC, and keeps the app shell
 * available offline. Startup does almost nothing; the node starts on first use.
 */
import { cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching'
import type { PrecacheEntry } from 'workbox-precaching'
import { isRpcRequest, serveRequest } from '../rpc/server.ts'
import { isAppClient } from './client-policy.ts'
import { answerGatewayRequest, isGatewayRequest } from './gateway-route.ts'
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

self.addEventListener('message', event => {
  const data: unknown = event.data
  if (typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'SKIP_WAITING') {
    if (isAppClient(event.source, self.location.origin)) void self.skipWaiting()
    return
  }
  const port = event.ports[0]
  if (isRpcRequest(data) && port !== undefined) {
    event.waitUntil(serveRequest(rpcHandlers, data, port, isAppClient(event.source, self.location.origin)))
  }
})
