/// <reference lib="webworker" />
/**
 * The Service Worker: hosts the node, answers the UI's RPC, and keeps the app shell
 * available offline. Startup does almost nothing: the blockstore opens on first use, and the
 * network (libp2p, rooms, Bitswap) starts on the first RPC call or page heartbeat, or when a
 * gateway request needs a block that is not stored; stored content never waits for it.
 */
// First: @libp2p/webrtc reads globalThis.RTCPeerConnection when it is evaluated.
import '../bridge/install.ts'
import { cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching'
import type { PrecacheEntry } from 'workbox-precaching'
import { isAppClient } from './client-policy.ts'
import { gatewayRoute } from './gateway-route.ts'
import { shareTargetRoute } from './share-target-route.ts'
import { bridgeOfferMessage } from './messages/bridge-offer.ts'
import { heartbeatMessage, pruneBridgeHosts } from './messages/heartbeat.ts'
import { rpcMessage } from './messages/rpc.ts'
import { skipWaitingMessage } from './messages/skip-waiting.ts'
import type { FetchRoute, MessageRoute } from './route.ts'
import { markScriptEvaluated } from './start-timing.ts'

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<PrecacheEntry | string> }

/** Fetch routes, in order; what none takes goes to the precache. */
const fetchRoutes: FetchRoute[] = [gatewayRoute, shareTargetRoute]

/** Message kinds, in order. */
const messageRoutes: MessageRoute[] = [skipWaitingMessage, rpcMessage, bridgeOfferMessage, heartbeatMessage]

// Registered before Workbox's routes, so /ipfs/ never reaches the precache.
self.addEventListener('fetch', event => {
  const url = new URL(event.request.url)
  const route = fetchRoutes.find(r => r.canHandle(url, event.request))
  if (route !== undefined) event.respondWith(route.handle(event))
})

cleanupOutdatedCaches()
precacheAndRoute(self.__WB_MANIFEST)

self.addEventListener('activate', event => {
  event.waitUntil(self.clients.claim())
})

setInterval(() => { void pruneBridgeHosts() }, 5_000)

self.addEventListener('message', event => {
  const data: unknown = event.data
  const context = { event, fromApp: isAppClient(event.source, self.location.origin), port: event.ports[0] }
  const route = messageRoutes.find(r => r.canHandle(data, context))
  if (route === undefined || (route.appOnly && !context.fromApp)) return
  route.handle(data, context)
})

// Last: the script has been evaluated (the first answer's Server-Timing tells how long it took).
markScriptEvaluated()
