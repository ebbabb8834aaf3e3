/// <reference lib="webworker" />
/**
 * The Service Worker of a website opened on its own origin (`<cid>.ipfs.localhost`, or
 * `<name>.ipns.ipfs.localhost`). It serves the site from the blocks of its one root CID, which it
 * gets from the app through the frame's channel, verifies by hash, and keeps in its own cache
 * for offline use. A named site asks the app what the name points at now (at most once a
 * minute) and keeps the last answer, so it opens offline too.
 */
import type { CID } from 'multiformats/cid'
import { Correlator } from '../lib/correlator.ts'
import { ready } from '../hotpath/index.ts'
import { verifyBlock } from '../content/hashing.ts'
import type { SiteNeedPort, SiteReply, SiteRequest } from './protocol.ts'
import { siteAt } from './protocol.ts'
import { answerSiteRequest } from './site-answer.ts'

declare const self: ServiceWorkerGlobalScope

const SHELL_CACHE = 'cairn-site-shell'
const BLOCK_CACHE = 'cairn-site-blocks'
const SHELL = ['/_cairn/frame.html', '/_cairn/frame.js']
const REQUEST_TIMEOUT = 15_000
/** How long a named site uses what its name pointed at before asking again. */
const NAME_RECHECK_MS = 60_000
/** Where a named site keeps the last path its name pointed at (for offline starts). */
const ROOT_KEY = '/_cairn/root'

const site = siteAt(self.location.hostname)

let port: MessagePort | undefined
const portArrived: PromiseWithResolvers<MessagePort> = Promise.withResolvers()
const requests = new Correlator<Uint8Array>()
const resolutions = new Correlator<string>()
let named: { path: string, at: number } | undefined

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
  port.onmessage = (message: MessageEvent<SiteReply>) => {
    const reply = message.data
    if ('bytes' in reply) requests.resolve(reply.id, reply.bytes)
    else if ('path' in reply) resolutions.resolve(reply.id, reply.path)
    else {
      const error = Object.assign(new Error(reply.message), { name: reply.error })
      requests.reject(reply.id, error)
      resolutions.reject(reply.id, error)
    }
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
  const request: SiteRequest = { id, cid: cid.toString() }
  to.postMessage(request)
  const bytes = await reply
  await ready()
  await verifyBlock(cid, bytes)
  await cache.put(blockKey(cid), new Response(bytes as Uint8Array<ArrayBuffer>))
  return bytes
}

/**
 * The `/ipfs/` path the site serves: its CID, or what its name points at — asked of the app
 * at most once a minute, the last answer kept (in memory and in the cache) for when the app
 * cannot answer.
 */
async function sitePath (): Promise<string> {
  if (site === undefined) throw new Error('not a site host')
  if (site.namespace === 'ipfs') return `/ipfs/${site.label}`
  if (named !== undefined && Date.now() - named.at < NAME_RECHECK_MS) return named.path
  const cache = await caches.open(BLOCK_CACHE)
  try {
    const to = await channel()
    const { id, reply } = resolutions.open({ ms: REQUEST_TIMEOUT, error: () => new Error('the app did not resolve the name') })
    const request: SiteRequest = { id, resolve: true }
    to.postMessage(request)
    const path = await reply
    named = { path, at: Date.now() }
    await cache.put(ROOT_KEY, new Response(path))
    return path
  } catch (err) {
    const kept = await cache.match(ROOT_KEY)
    if (kept === undefined) throw err
    return kept.text()
  }
}

self.addEventListener('fetch', event => {
  const url = new URL(event.request.url)
  if (url.origin !== self.location.origin || site === undefined) return
  if (url.pathname.startsWith('/_cairn/')) {
    event.respondWith(caches.match(event.request, { ignoreSearch: true }).then(async hit => hit ?? fetch(event.request)))
    return
  }
  event.respondWith(sitePath().then(async base => answerSiteRequest(event.request, base, getBlock, site.namespace === 'ipns' ? NAME_RECHECK_MS / 1000 : undefined)))
})
