#!/usr/bin/env node
// Serves the built app (dist/) on localhost, and the subdomain gateway's frame on
// <cid>.ipfs.localhost (a website's own origin; see README, "Content isolation"). Also starts
// the bundled relay and tells the app its address at /relay.json.
//   node scripts/serve.mjs [--port 5173] [--host 127.0.0.1] [--relay-port 4003 | --no-relay] [--home-port 4004] [--state-dir .cairn] [--also <dir>]
// The relay is also the user's home node (pinning service, trustless gateway, routing on
// --home-port); the app served here gets an access token for it at /relay.json.
// --also serves the files of one more folder at the app's origin (tests use it for harness pages).
// Files are read on every request, so a rebuilt app (or a new sw.js) is served at once.
import { createServer } from 'node:http'
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { hostRouteResponse, routeHost } from '../src/site/subdomain.ts'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '5173' },
    host: { type: 'string', default: '127.0.0.1' },
    'relay-port': { type: 'string', default: '4003' },
    'home-port': { type: 'string', default: '4004' },
    // The relay's identity, room archive and home node live here.
    'state-dir': { type: 'string', default: '.cairn' },
    'no-relay': { type: 'boolean', default: false },
    also: { type: 'string' }
  }
})
const root = resolve('dist')
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json',
  '.map': 'application/json'
}

const roots = [root, ...(values.also !== undefined ? [resolve(values.also)] : [])]

async function fileFor (pathname, base = root) {
  const decoded = decodeURIComponent(pathname)
  const path = normalize(join(base, decoded))
  if (!path.startsWith(base)) return null
  const info = await stat(path).catch(() => null)
  if (info?.isDirectory()) return fileFor(join(decoded, 'index.html'), base)
  return info?.isFile() ? path : null
}

async function firstFile (pathname) {
  for (const base of roots) {
    const path = await fileFor(pathname, base)
    if (path !== null) return path
  }
  return null
}

const SITE_FILES = new Set(['/_cairn/frame.html', '/_cairn/frame.js', '/_cairn/site-sw.js'])

/**
 * Requests on a site's own origin (see src/site/subdomain.ts): the frame page and its two
 * scripts; any other path is sent to the app, which frames the site and feeds its worker the blocks.
 */
function siteRoute (site, url, host) {
  if (SITE_FILES.has(url.pathname)) return { file: url.pathname }
  const port = host.includes(':') ? `:${host.split(':').pop()}` : ''
  const route = site.namespace === 'ipns' ? `ipns/${site.label}` : site.label
  return { redirect: `http://ipfs.localhost${port}/#/site/${route}${url.pathname}${url.search}` }
}

/** The pages allowed to call the home node's pinning API: this app, under each name it answers to. */
const appOrigins = []

/** The bundled relay (see src/relay/); its identity is kept in the state folder (.cairn/) so its address is stable. */
let relay
/** The app's access token for the home node: a new secret each start, the same device (and pins). */
let appToken
if (!values['no-relay']) {
  const { startRelay } = await import('../src/relay/relay.ts')
  const { DEFAULT_RELAY_LIMITS } = await import('../src/relay/limits.ts')
  const { DEFAULT_ARCHIVE_LIMITS } = await import('../src/relay/room-archive.ts')
  const { DEFAULT_PIN_STALL_SECONDS } = await import('../src/relay/options.ts')
  relay = await startRelay({
    host: '127.0.0.1',
    port: Number(values['relay-port']),
    announce: [],
    keyFile: resolve(values['state-dir'], 'relay-key'),
    limits: DEFAULT_RELAY_LIMITS,
    // Rooms' history survives every browser closing (and the relay restarting): it keeps and serves it.
    archive: { ...DEFAULT_ARCHIVE_LIMITS, dir: resolve(values['state-dir'], 'room-archive') },
    // What the user keeps online stays here when every tab is closed.
    home: {
      dir: resolve(values['state-dir'], 'home'),
      httpHost: '127.0.0.1',
      httpPort: Number(values['home-port']),
      httpAnnounce: [],
      stallMs: DEFAULT_PIN_STALL_SECONDS * 1000,
      corsOrigins: () => appOrigins
    },
    log: line => console.log(`relay: ${line}`)
  })
  appToken = (await relay.home.tokens.rotate('this computer\'s Cairn app')).secret
}

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const host = req.headers.host ?? ''
    // The subdomain gateway's rules: sites on their canonical labels, other spellings and
    // content paths redirected there, roots that cannot be a DNS label refused with the reason.
    const routed = routeHost(host, url.pathname, url.search)
    const refused = hostRouteResponse(routed)
    if (refused !== undefined) {
      res.writeHead(refused.status, Object.fromEntries(refused.headers)).end(req.method === 'HEAD' ? undefined : await refused.text())
      return
    }
    if (url.pathname === '/relay.json' && routed.kind === 'app') {
      // The app's default relay: the one started with it, if any.
      res.writeHead(relay === undefined ? 404 : 200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      // Same-origin only (no CORS): other pages cannot read the app's token.
      res.end(JSON.stringify({
        multiaddrs: relay?.multiaddrs ?? [],
        ...(relay?.home === undefined ? {} : { home: { endpoint: relay.home.http.url, token: appToken } })
      }))
      return
    }
    const site = routed.kind === 'site' ? routed.site : undefined
    let pathname = url.pathname
    if (site !== undefined) {
      const route = siteRoute(site, url, host)
      if (route.redirect !== undefined) {
        res.writeHead(302, { location: route.redirect, 'cache-control': 'no-store' }).end()
        return
      }
      pathname = route.file
    } else if (pathname.startsWith('/_cairn/')) {
      // The frame and the site worker belong on a site's own origin, never on the app's.
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n')
      return
    }
    const path = site === undefined ? await firstFile(pathname) : await fileFor(pathname)
    if (path === null) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n')
      return
    }
    const body = await readFile(path)
    const immutable = pathname.startsWith('/assets/')
    res.writeHead(200, {
      'content-type': types[extname(path)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
      // The app is never framed by another origin (no clickjacking of its buttons); a site's frame page is framed by the app.
      'content-security-policy': site === undefined ? "frame-ancestors 'self'" : "frame-ancestors http://ipfs.localhost:* http://localhost:* http://127.0.0.1:*",
      // The site worker lives in /_cairn/ but controls the whole site origin.
      ...(pathname === '/_cairn/site-sw.js' ? { 'service-worker-allowed': '/' } : {})
    })
    res.end(req.method === 'HEAD' ? undefined : body)
  } catch (err) {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(`bad request: ${err.message}\n`)
  }
})

server.listen(Number(values.port), values.host, () => {
  const { port } = server.address()
  appOrigins.push(`http://ipfs.localhost:${port}`, `http://localhost:${port}`, `http://127.0.0.1:${port}`)
  // ipfs.localhost resolves to loopback without DNS; the websites Cairn opens live on
  // <cid>.ipfs.localhost, the same site, so their workers and storage are first-party.
  if (relay !== undefined) console.log(`Bundled relay: ${relay.multiaddrs.join(' ')}`)
  if (relay?.home !== undefined) console.log(`Home node (pinning service, gateway, routing): ${relay.home.http.url}`)
  console.log(`Cairn is running at http://ipfs.localhost:${port}/`)
})
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.closeAllConnections?.()
    Promise.all([relay?.stop(), new Promise(done => server.close(done))]).finally(() => process.exit(0))
  })
}
