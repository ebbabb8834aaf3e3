/**
 * The subdomain gateway's host rules (the Subdomain Gateway spec) as `npm start`'s server and
 * the app apply them: which origin a content root or a name gets, the canonical label every
 * other spelling is redirected to, and the readable 400 for what cannot be a DNS label.
 */
import { CID } from 'multiformats/cid'
import { base32 } from 'multiformats/bases/base32'
import { base36 } from 'multiformats/bases/base36'
import { parseCid } from '../lib/parse-cid.ts'
import { LIBP2P_KEY_CODEC, parseName } from '../names/name.ts'
import { labelOfName, nameOfLabel, type SiteAddress } from './protocol.ts'

/** The longest DNS label (RFC 1035, 2181). */
export const MAX_LABEL = 63

/** The app's host; sites live under it (`<cid>.ipfs.localhost`, `<name>.ipns.ipfs.localhost`). */
export const APP_HOST = 'ipfs.localhost'

/** A root's subdomain label, or why it cannot have one. */
export type LabelResult = { label: string } | { error: string }

/** A CID in any base gateways take, or undefined. */
function parseAnyCid (text: string): CID | undefined {
  try {
    return parseCid(text)
  } catch {
    return undefined
  }
}

/** The words gateways use (and the upstream conformance suite looks for) when a root cannot be a label. */
const TOO_LONG = `incompatible with DNS label length limit of ${MAX_LABEL}`

/**
 * The label of content `/ipfs/<root>`: its CID as a base32 CIDv1 (case-insensitive, as a host
 * name is), or base36 when base32 does not fit a label.
 */
export function ipfsLabel (root: string): LabelResult {
  const cid = parseAnyCid(root)
  if (cid === undefined) {
    const hint = /^qm[1-9a-z]{44}$/.test(root)
      ? ' It looks like a CIDv0 (Qm…) in lower case: CIDv0 is case-sensitive and host names are not, so open it as /ipfs/Qm… instead, which moves it to its base32 CIDv1 origin.'
      : ''
    return { error: `"${root}" is not a CID.${hint}` }
  }
  const label = fitting(cid.toV1())
  return label !== undefined
    ? { label }
    : { error: `CID ${TOO_LONG}: ${root} is longer than ${MAX_LABEL} characters even in base36, so it cannot have an origin of its own (long hashes such as sha2-512 do this). Open it on the app's path gateway instead (/ipfs/…).` }
}

/** A CID's shortest case-insensitive form that fits a DNS label: base32, else base36. */
function fitting (cid: CID): string | undefined {
  return [cid.toString(base32), cid.toString(base36)].find(text => text.length <= MAX_LABEL)
}

/**
 * The label of a name `/ipns/<name>`: an IPNS key as a base36 `libp2p-key` CIDv1 (a key written
 * as a CID of another codec is read as the key it holds, as gateways do), a DNSLink domain
 * inlined (each `-` doubled, each `.` made `-`).
 */
export function ipnsLabel (name: string): LabelResult {
  const cid = parseAnyCid(name)
  const asKey = cid?.version === 1 && cid.code !== LIBP2P_KEY_CODEC ? CID.createV1(LIBP2P_KEY_CODEC, cid.multihash).toString() : name
  let parsed
  try {
    parsed = parseName(asKey)
  } catch (err) {
    return { error: (err as Error).message }
  }
  const label = parsed.kind === 'ipns' ? parsed.name : labelOfName(parsed.name)
  if (label.length <= MAX_LABEL) return { label }
  return { error: `PeerId or DNSLink ${TOO_LONG}: ${name} is ${label.length} characters as a label, so it cannot have an origin of its own. Open it on the app's path gateway instead (/ipns/…).` }
}

/** What the server answers for a request, from its Host and path. */
export type HostRoute =
  /** A site's own origin, on its canonical label. */
  | { kind: 'site', site: SiteAddress }
  /** 301 to the canonical address (path and query kept). */
  | { kind: 'redirect', location: string }
  /** 400: the root or name cannot have an origin; `message` says why. */
  | { kind: 'error', message: string }
  /** Neither a site host nor a content path: the app itself. */
  | { kind: 'app' }

/**
 * The URI router (Subdomain Gateway spec): `/ipfs/?uri=ipfs://<root>/<path>`, what a
 * registered protocol handler sends, is answered with a redirect to the content path
 * `/ipfs/<root>/<path>` (`ipns://` likewise); undefined for other requests.
 */
export function uriRoute (path: string, query: string): ServerAnswer | undefined {
  if (!/^\/ip[fn]s\/?$/.test(path)) return undefined
  const uri = new URLSearchParams(query).get('uri')
  if (uri === null) return undefined
  const address = /^(ipfs|ipns):\/\/([^?#]+)/i.exec(uri.trim())
  if (address === null) return { kind: 'error', message: `"${uri}" is not an ipfs:// or ipns:// address` }
  return { kind: 'redirect', location: `/${address[1].toLowerCase()}/${address[2]}` }
}

/** The sub-domains of the app's host that serve sites: `<label>.ipfs.localhost`, `<label>.ipns.ipfs.localhost`, and the spec's own `<label>.ipns.localhost`. */
const SITE_HOST = /^(.+?)\.(ipfs|ipns\.ipfs|ipns)\.localhost$/i

/**
 * Routes a request on the subdomain gateway: a site host with its canonical label is a site;
 * any other spelling of a root (a CIDv0, another base, another codec for a key, the spec's
 * `<name>.ipns.localhost`) is redirected to the canonical one; a content path on the app's own
 * host (`/ipfs/<root>/…`, `/ipns/<name>/…`) moves to the root's subdomain (the spec's migration
 * from path to subdomain gateway). `host` is the Host header, case kept (a browser lowercases
 * it; `curl` does not, so a `Qm…` label can still be read and redirected).
 */
export function routeHost (host: string, path: string, query: string): HostRoute {
  const port = /:\d+$/.exec(host)?.[0] ?? ''
  const hostname = host.slice(0, host.length - port.length)
  const origin = (namespace: 'ipfs' | 'ipns', label: string): string =>
    `http://${label}.${namespace === 'ipfs' ? APP_HOST : `ipns.${APP_HOST}`}${port}`
  const site = SITE_HOST.exec(hostname)
  if (site !== null) {
    const [, given, kind] = site
    const namespace = kind.toLowerCase() === 'ipfs' ? 'ipfs' : 'ipns'
    const result = namespace === 'ipfs' ? ipfsLabel(given) : ipnsLabel(nameOfLabel(given))
    if ('error' in result) return { kind: 'error', message: result.error }
    if (result.label === given && kind === (namespace === 'ipfs' ? 'ipfs' : 'ipns.ipfs')) return { kind: 'site', site: { namespace, label: result.label } }
    return { kind: 'redirect', location: `${origin(namespace, result.label)}${path}${query}` }
  }
  const routed = uriRoute(path, query)
  if (routed !== undefined) return routed
  const content = /^\/(ipfs|ipns)\/([^/?#]+)(\/.*)?$/.exec(path)
  if (content === null) return { kind: 'app' }
  const [, namespace, encoded, rest = '/'] = content as unknown as [string, 'ipfs' | 'ipns', string, string | undefined]
  let root: string
  try {
    root = decodeURIComponent(encoded)
  } catch {
    return { kind: 'error', message: `"${encoded}" is not a valid path segment` }
  }
  const result = namespace === 'ipfs' ? ipfsLabel(root) : ipnsLabel(root)
  if ('error' in result) return { kind: 'error', message: result.error }
  return { kind: 'redirect', location: `${origin(namespace, result.label)}${rest}${query}` }
}

/** The routes the server answers itself: a redirect, or a refusal. */
export type ServerAnswer = Extract<HostRoute, { kind: 'redirect' | 'error' }>

/** The server's answer for a redirect or an error route (undefined for sites and the app, which it serves itself). */
export function hostRouteResponse (route: ServerAnswer): Response
export function hostRouteResponse (route: HostRoute): Response | undefined
export function hostRouteResponse (route: HostRoute): Response | undefined {
  if (route.kind === 'redirect') return new Response(null, { status: 301, headers: { Location: route.location, 'Cache-Control': 'no-store' } })
  if (route.kind === 'error') {
    return new Response(`${route.message}\n`, { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' } })
  }
  return undefined
}
