import { signal } from '@preact/signals'

/** The app's views, addressed by the URL hash so that reloads and bookmarks keep them. */
export type Route =
  | { view: 'library' }
  | { view: 'names' }
  | { view: 'explore', path: string }
  | { view: 'inspect', cid: string }
  | { view: 'new' }
  | { view: 'import' }
  | { view: 'add', share?: string }
  /** A website on its own origin: by CID, or (`named`) by an IPNS key or DNSLink domain's subdomain label. */
  | { view: 'site', cid: string, path: string, named?: boolean }
  | { view: 'rooms', room: string }
  | { view: 'peers' }
  | { view: 'settings' }

/** Reads a route from a location hash such as `#/explore/<path>`. */
export function parseRoute (hash: string): Route {
  const [view, ...rest] = hash.replace(/^#\/?/, '').split('/')
  const arg = decodeURIComponent(rest.join('/'))
  if (view === '' || view === 'library') return { view: 'library' }
  if (view === 'names') return { view: 'names' }
  if (view === 'inspect') return { view: 'inspect', cid: arg }
  if (view === 'new') return { view: 'new' }
  if (view === 'import') return { view: 'import' }
  if (view === 'add') return arg === '' ? { view: 'add' } : { view: 'add', share: arg }
  if (view === 'rooms') return { view: 'rooms', room: arg }
  if (view === 'peers') return { view: 'peers' }
  if (view === 'settings') return { view: 'settings' }
  if (view === 'site' && rest[0] === 'ipns') return { view: 'site', named: true, cid: rest[1] ?? '', path: rest.length > 2 ? '/' + rest.slice(2).join('/') : '/' }
  if (view === 'site') return { view: 'site', cid: rest[0] ?? '', path: rest.length > 1 ? '/' + rest.slice(1).join('/') : '/' }
  return { view: 'explore', path: arg }
}

/** The hash for a route. */
export function routeHash (route: Route): string {
  switch (route.view) {
    case 'library': return '#/library'
    case 'names': return '#/names'
    case 'explore': return `#/explore/${encodeURIComponent(route.path)}`
    case 'inspect': return `#/inspect/${encodeURIComponent(route.cid)}`
    case 'new': return '#/new'
    case 'import': return '#/import'
    case 'add': return route.share === undefined ? '#/add' : `#/add/${encodeURIComponent(route.share)}`
    case 'site': return `#/site/${route.named === true ? 'ipns/' : ''}${route.cid}${route.path.startsWith('/') ? route.path : `/${route.path}`}`
    case 'rooms': return `#/rooms/${encodeURIComponent(route.room)}`
    case 'peers': return '#/peers'
    case 'settings': return '#/settings'
  }
}

/** The current route. */
export const route = signal<Route>(parseRoute(window.location.hash))
window.addEventListener('hashchange', () => { route.value = parseRoute(window.location.hash) })

/** Goes to a route (adds a history entry). */
export function navigate (next: Route): void {
  window.location.hash = routeHash(next)
}
