/// <reference lib="webworker" />
/**
 * The Service Worker of a website opened on its own origin (`<cid>.ipfs.localhost`). It serves
 * the site from the blocks of its one root CID, which it gets from the app through the frame's
 * channel, verifies by hash, and keeps in its own cache for offline use.
 */
import type { CID } from 'multiformats/cid'
import { Correlator } from '../lib/correlator.ts'
import { handleGatewayRequest } from '../gateway/gateway.ts'
import { ready } from '../hotpath/index.ts'
import { verifyBlock } from '../content/hashing.ts'
import type { BlockReply, BlockRequest, SiteNeedPort } from './protocol.ts'
import { siteRoot } from './protocol.ts'

declare const self: ServiceWorkerGlobalScope

const SHELL_CACHE = 'cairn-site-shell'
const BLOCK_CACHE = 'cairn-site-blocks'
const SHELL = ['/_cairn/frame.html', '/_cairn/frame.js']
const REQUEST_TIMEOUT = 15_000

const root = siteRoot(self.location.hostname)

let port: MessagePort | undefined
const portArrived: PromiseWithResolvers<MessagePort> = Promise.withResolvers()
const requests = new Correlator<Uint8Array>()

self.addEventListener('install', event => {
  event.waitUntil(caches.open(SHELL_CACHE).then(async cache => cache.addAll(SHELL)).then(async () => self.skipWaiting()))
})

self.addEventListener('activate', event => {
  event.waitUntil(self.clients.claim())
})

self.addEventListener('message', event => {
  const data = event.data as { type?: unknown }
  const received = event.ports[0]
  if (data?.type !== 'cairn-site-port' || received === undefined) return
  port?.close()
  port = received
  port.onmessage = (message: MessageEvent<BlockReply>) => {
    const reply = message.data
    if ('bytes' in reply) requests.resolve(reply.id, reply.bytes)
    else requests.reject(reply.id, Object.assign(new Error(reply.message), { name: reply.error }))
  }
  portArrived.resolve(port)
})

/** The channel to the app, asking the frame for a new one when the worker has none. */
async function channel (): Promise<MessagePort> {
  if (port !== undefined) return port
  const ask: SiteNeedPort = { type: 'cairn-site-need-port' }
  for (const client of await self.clients.matchAll({ type: 'window' })) client.postMessage(ask)
  const timeout = new Promise<never>((_resolve, reject) => setTimeout(() => reject(Object.assign(
    new Error('this site is not connected to Cairn: open it from the app'), { name: 'NotFoundError' })), 5_000))
  return Promise.race([portArrived.promise, timeout])
}

function blockKey (cid: CID): string {
  return `/_cairn/block/${cid.toV1().toString()}`
}

/** A block of this site: from the cache, or from the app (verified, then cached). */
async function getBlock (cid: CID): Promise<Uint8Array> {
  const cache = await caches.open(BLOCK_CACHE)
  const cached = await cache.match(blockKey(cid))
  if (cached !== undefined) return new Uint8Array(await cached.arrayBuffer())
  const to = await channel()
  const { id, reply } = requests.open({
    ms: REQUEST_TIMEOUT,
    error: () => Object.assign(new Error(`the app did not send block ${cid}`), { name: 'NotFoundError' })
  })
  const request: BlockRequest = { id, cid: cid.toString() }
  to.postMessage(request)
  const bytes = await reply
  await ready()
  await verifyBlock(cid, bytes)
  await cache.put(blockKey(cid), new Response(bytes as Uint8Array<ArrayBuffer>))
  return bytes
}

/** Maps a site path to the gateway path of the root, and gateway redirects back. */
async function serveSite (request: Request): Promise<Response> {
  const url = new URL(request.url)
  const gatewayUrl = new URL(`/ipfs/${root}${url.pathname}${url.search}`, url)
  const response = await handleGatewayRequest(new Request(gatewayUrl, { method: request.method, headers: request.headers }), getBlock)
  // The site is its own origin: it needs no sandbox, and must stay a controlled client.
  response.headers.delete('Content-Security-Policy')
  const location = response.headers.get('Location')
  if (location?.startsWith(`/ipfs/${root}`) === true) response.headers.set('Location', location.slice(`/ipfs/${root}`.length) || '/')
  return response
}

self.addEventListener('fetch', event => {
  const url = new URL(event.request.url)
  if (url.origin !== self.location.origin || root === undefined) return
  if (url.pathname.startsWith('/_cairn/')) {
    event.respondWith(caches.match(event.request, { ignoreSearch: true }).then(async hit => hit ?? fetch(event.request)))
    return
  }
  event.respondWith(serveSite(event.request))
})
