/**
 * Who may drive the node: only window clients of this origin whose page is part of the app.
 * Content served from `/ipfs/` is untrusted and must never call the RPC, even on this origin.
 */
export function isAppClient (source: Client | ServiceWorker | MessagePort | null, origin: string): boolean {
  if (source === null || !('type' in source) || !('url' in source)) return false
  if ((source as Client).type !== 'window') return false
  const url = new URL((source as Client).url)
  return url.origin === origin && !url.pathname.startsWith('/ipfs/') && !url.pathname.startsWith('/ipns/')
}
