/** The share asked for is gone: taken already, expired, or the worker restarted. */
export class ShareGoneError extends Error {
  override name = 'ShareGoneError'
}

/** Files shared to Cairn, held until the page that the share opened takes them. */
export interface Shared {
  entries: Array<{ path: string, file: File }>
}

const inbox = new Map<string, Shared>()
/** Shares nobody took are dropped after this long. */
const KEEP_MS = 10 * 60_000

/** Holds a share; returns the id the Add view asks for. */
export function holdShare (shared: Shared): string {
  const id = crypto.randomUUID()
  inbox.set(id, shared)
  setTimeout(() => inbox.delete(id), KEEP_MS)
  return id
}

/** Takes a share (once); undefined when it is gone (taken, expired, or the worker restarted). */
export function takeShare (id: string): Shared | undefined {
  const shared = inbox.get(id)
  inbox.delete(id)
  return shared
}
