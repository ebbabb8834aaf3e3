/**
 * The frame page of a website opened on its own origin. It runs on `<cid>.ipfs.localhost` (or
 * `<name>.ipns.ipfs.localhost`),
 * inside the app's site viewer: it installs the site's Service Worker, connects that worker
 * to the app (which answers block requests for this site only), and shows the site in a
 * nested frame that the worker controls.
 */
import type { SiteConnect, SitePort } from './protocol.ts'
import { siteAt, siteId } from './protocol.ts'

const site = siteAt(location.hostname)
const status = document.getElementById('status') as HTMLElement

function show (message: string): void {
  status.textContent = message
  status.hidden = false
}

/** The app's origin: the page that framed this one. */
function appOrigin (): string | undefined {
  if (window.parent === window || document.referrer === '') return undefined
  return new URL(document.referrer).origin
}

/** Opens a new channel: one end to the app, the other to the worker. */
function connect (worker: ServiceWorker, app: string, id: string): void {
  const channel = new MessageChannel()
  const hello: SiteConnect = { type: 'cairn-site-connect', site: id }
  window.parent.postMessage(hello, app, [channel.port1])
  const handOver: SitePort = { type: 'cairn-site-port' }
  worker.postMessage(handOver, [channel.port2])
}

async function start (): Promise<void> {
  const app = appOrigin()
  if (site === undefined) { show('This page only works on a <cid>.ipfs.localhost or <name>.ipns.ipfs.localhost address.'); return }
  const id = siteId(site)
  if (app === undefined) {
    // Opened directly: the app frames the site and feeds it blocks, so go through the app.
    const route = site.namespace === 'ipfs' ? site.label : id
    location.replace(`${location.protocol}//ipfs.localhost${location.port === '' ? '' : `:${location.port}`}/#/site/${route}${location.hash.slice(1)}`)
    return
  }
  const registration = await navigator.serviceWorker.register('/_cairn/site-sw.js', { scope: '/' })
  await navigator.serviceWorker.ready
  const worker = registration.active
  if (worker === null) { show('The site worker did not start.'); return }
  connect(worker, app, id)
  navigator.serviceWorker.addEventListener('message', event => {
    if ((event.data as { type?: unknown })?.type === 'cairn-site-need-port') connect(worker, app, id)
  })
  const frame = document.createElement('iframe')
  frame.title = 'Site'
  frame.src = decodeURIComponent(location.hash.slice(1)) || '/'
  document.body.append(frame)
}

start().catch((err: Error) => show(`The site could not start: ${err.message}`))
