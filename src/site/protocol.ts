/**
 * The channel between a website opened on its own origin (`<cid>.ipfs.localhost`, or
 * `<name>.ipns.ipfs.localhost` for a named one) and the app page that frames it. The site's
 * Service Worker asks for blocks by CID over a MessagePort (and, for a name, what it points at
 * now); the app answers only for blocks of that one site's DAG; the worker checks every
 * block's hash on arrival.
 */

/**
 * Host names of the subdomain gateway: `<cidv1 base32>.ipfs.localhost`, and
 * `<name>.ipns.ipfs.localhost` — the spec's `{name}.ipns.{host}` under the app's own site
 * (`ipfs.localhost`). Browsers take `localhost` for a public suffix, so `<name>.ipns.localhost`
 * would be another site than the app, and a frame of another site cannot register its Service
 * Worker where third-party storage is blocked (Chromium: "The user denied permission to use
 * Service Worker").
 */
const SITE_HOST = /^([a-z0-9-]{1,63})\.(ipfs|ipns\.ipfs)\.localhost$/

/** A site's address: content by CID, or a name (an IPNS key in base36, or an inlined DNSLink domain). */
export interface SiteAddress {
  namespace: 'ipfs' | 'ipns'
  /** The subdomain label: a base32 CIDv1, a base36 `libp2p-key` CID, or a DNSLink domain inlined. */
  label: string
}

/** The frame announces itself to the app, with the port for block requests. */
export interface SiteConnect {
  type: 'cairn-site-connect'
  /** `siteId` of the frame's address. */
  site: string
}

/** The frame hands the worker its end of the channel. */
export interface SitePort {
  type: 'cairn-site-port'
}

/** The worker lost its port (it was restarted) and asks the frame for a new one. */
export interface SiteNeedPort {
  type: 'cairn-site-need-port'
}

/** A request from the site's worker: a block by CID, or (for a named site) what the name points at now. */
export type SiteRequest =
  | { id: number, cid: string }
  | { id: number, resolve: true }

/** The app's answer: the block's bytes, the `/ipfs/` path a name points at, or why not. */
export type SiteReply =
  | { id: number, bytes: Uint8Array }
  | { id: number, path: string }
  | { id: number, error: string, message: string }

/** The site a subdomain host serves, or undefined for other hosts. */
export function siteAt (hostname: string): SiteAddress | undefined {
  const match = SITE_HOST.exec(hostname)
  if (match === null) return undefined
  const [, label, namespace] = match
  if (namespace === 'ipfs') return /^b[a-z2-7]{20,}$/.test(label) ? { namespace, label } : undefined
  return { namespace: 'ipns', label }
}

/** One text for a site address (`ipfs/<cid>`, `ipns/<label>`), as messages and routes carry it. */
export function siteId (site: SiteAddress): string {
  return `${site.namespace}/${site.label}`
}

/** The origin of a site's subdomain, on the app's port. */
export function siteOrigin (site: SiteAddress, appLocation: { protocol: string, port: string }): string {
  const host = site.namespace === 'ipfs' ? 'ipfs.localhost' : 'ipns.ipfs.localhost'
  return `${appLocation.protocol}//${site.label}.${host}${appLocation.port === '' ? '' : `:${appLocation.port}`}`
}

/**
 * The subdomain label of a name, as the subdomain gateway spec inlines it: an IPNS key stays
 * as it is (base36 fits a label); a DNSLink domain has each `-` doubled and each `.` made `-`.
 */
export function labelOfName (name: string): string {
  return name.includes('.') ? name.replace(/-/g, '--').replace(/\./g, '-') : name
}

/** The name a label stands for: an IPNS key, or an inlined DNSLink domain read back. */
export function nameOfLabel (label: string): string {
  if (/^k[a-z0-9]{40,}$/.test(label) && !label.includes('-')) return label
  return label.split('--').map(part => part.replace(/-/g, '.')).join('-')
}
