/**
 * An EventTarget with `on<type>` handler properties, as DOM objects have them: setting
 * `onopen` replaces the previous handler, and handlers run alongside `addEventListener` ones.
 */
export class HandlerTarget extends EventTarget {
  private readonly handlers = new Map<string, EventListener>()
  private readonly originals = new Map<string, unknown>()

  /** The handler for `type`, or null. */
  protected getHandler<E extends Event> (type: string): ((event: E) => unknown) | null {
    return (this.originals.get(type) as ((event: E) => unknown) | undefined) ?? null
  }

  /** Replaces the handler for `type` (null removes it). */
  protected setHandler<E extends Event> (type: string, handler: ((event: E) => unknown) | null): void {
    const previous = this.handlers.get(type)
    if (previous !== undefined) this.removeEventListener(type, previous)
    this.handlers.delete(type)
    this.originals.delete(type)
    if (handler === null || handler === undefined) return
    this.originals.set(type, handler)
    const listener: EventListener = event => { (handler as (e: Event) => unknown).call(this, event) }
    this.handlers.set(type, listener)
    this.addEventListener(type, listener)
  }
}

/** An Event with extra read-only fields, like `candidate` or `channel`. */
export function eventWith<T extends object> (type: string, fields: T): Event & T {
  const event = new Event(type)
  for (const [key, value] of Object.entries(fields)) Object.defineProperty(event, key, { value, enumerable: true })
  return event as Event & T
}
