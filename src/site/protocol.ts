/**
 * The channel between a website opened on its own origin (`<cid>.ipfs.localhost`) and the app
 * page that frames it. The site's Service Worker asks for blocks by CID over a MessagePort;
 * the app answers only for blocks of that one site's DAG; the worker checks every block's
 * hash on arrival.
 */

/** Host names of the subdomain gateway: `<cidv1 base32>.ipfs.localhost`. */
export const SITE_HOST = /^(b[a-z2-7]{20,})\.ipfs\.localhost$/

/** The frame announces itself to the app, with the port for block requests. */
export interface SiteConnect {
  type: 'cairn-site-connect'
  root: string
}

/** The frame hands the worker its end of the channel. */
export interface SitePort {
  type: 'cairn-site-port'
}

/** The worker lost its port (it was restarted) and asks the frame for a new one. */
export interface SiteNeedPort {
  type: 'cairn-site-need-port'
}

/** A block request from the site's worker. */
export interface BlockRequest {
  id: number
  cid: string
}

/** The app's answer: the block's bytes, or why not. */
export type BlockReply =
  | { id: number, bytes: Uint8Array }
  | { id: number, error: string, message: string }

/** The root CID a subdomain host serves, or undefined for other hosts. */
export function siteRoot (hostname: string): string | undefined {
  return SITE_HOST.exec(hostname)?.[1]
}

/** The origin of a site's subdomain, on the app's port. */
export function siteOrigin (root: string, appLocation: { protocol: string, port: string }): string {
  return `${appLocation.protocol}//${root}.ipfs.localhost${appLocation.port === '' ? '' : `:${appLocation.port}`}`
}
