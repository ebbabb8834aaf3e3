/**
 * Pairs replies with requests over one channel (a MessagePort): numbers each request, settles
 * it when the reply with its number comes, fails it after a timeout, and fails everything
 * pending when the channel goes away. Used by the WebRTC bridge and the site worker.
 */
export class Correlator<T> {
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (value: T) => void, reject: (error: Error) => void, timer?: ReturnType<typeof setTimeout> }>()

  /**
   * Opens a request: returns its number (to put in the message) and the promise of its reply.
   * With `timeout`, the promise fails with `onTimeout()` when no reply came in time.
   */
  open (timeout?: { ms: number, error: () => Error }): { id: number, reply: Promise<T> } {
    const id = this.nextId++
    const reply = new Promise<T>((resolve, reject) => {
      const entry: { resolve: (value: T) => void, reject: (error: Error) => void, timer?: ReturnType<typeof setTimeout> } = { resolve, reject }
      if (timeout !== undefined) entry.timer = setTimeout(() => this.reject(id, timeout.error()), timeout.ms)
      this.pending.set(id, entry)
    })
    return { id, reply }
  }

  /** Settles request `id` with its reply; false when no such request is pending. */
  resolve (id: number, value: T): boolean {
    return this.settle(id, entry => entry.resolve(value))
  }

  /** Fails request `id`; false when no such request is pending. */
  reject (id: number, error: Error): boolean {
    return this.settle(id, entry => entry.reject(error))
  }

  /** Fails every pending request (the channel is gone). */
  rejectAll (error: Error): void {
    for (const id of [...this.pending.keys()]) this.reject(id, error)
  }

  /** Requests waiting for a reply. */
  get size (): number {
    return this.pending.size
  }

  private settle (id: number, how: (entry: { resolve: (value: T) => void, reject: (error: Error) => void }) => void): boolean {
    const entry = this.pending.get(id)
    if (entry === undefined) return false
    this.pending.delete(id)
    clearTimeout(entry.timer)
    how(entry)
    return true
  }
}
