/**
 * Keeps garbage collection from racing writes. Imports, fetches and puts hold the lock
 * shared (many at once); garbage collection holds it exclusively, so it never sees a store
 * in the middle of a write and never deletes what a running write is adding. Requests are
 * granted in order: a collection waits for the writes before it, and writes that come after
 * it wait for the collection.
 */
export interface StoreLock {
  /** Runs `work` while no collection runs. */
  shared<T>(work: () => Promise<T>): Promise<T>
  /** Runs `work` alone. */
  exclusive<T>(work: () => Promise<T>): Promise<T>
}

interface Waiter {
  mode: 'shared' | 'exclusive'
  start: () => void
}

/** A lock within one JavaScript realm: for Node.js and tests. */
export function memoryStoreLock (): StoreLock {
  const queue: Waiter[] = []
  let sharedHolders = 0
  let exclusiveHeld = false

  const grant = (): void => {
    while (queue.length > 0 && !exclusiveHeld) {
      const next = queue[0]
      if (next.mode === 'exclusive' && sharedHolders > 0) return
      queue.shift()
      if (next.mode === 'exclusive') exclusiveHeld = true
      else sharedHolders++
      next.start()
      if (exclusiveHeld) return
    }
  }

  const run = async <T>(mode: Waiter['mode'], work: () => Promise<T>): Promise<T> => {
    await new Promise<void>(resolve => { queue.push({ mode, start: resolve }); grant() })
    try {
      return await work()
    } finally {
      if (mode === 'exclusive') exclusiveHeld = false
      else sharedHolders--
      grant()
    }
  }

  return {
    shared: async work => run('shared', work),
    exclusive: async work => run('exclusive', work)
  }
}

/**
 * A lock shared by every context of the origin through the Web Locks API: an old and a new
 * Service Worker during an update, or a page, all see the same lock. Falls back to a lock
 * within this realm where the API is missing.
 */
export function webStoreLock (name = 'cairn-store'): StoreLock {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks
  if (locks === undefined) return memoryStoreLock()
  return {
    shared: async work => locks.request(name, { mode: 'shared' }, work),
    exclusive: async work => locks.request(name, { mode: 'exclusive' }, work)
  }
}
