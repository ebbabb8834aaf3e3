/// <reference lib="webworker" />

/**
 * A fetch route of the Service Worker: the first route whose `canHandle` is true answers the
 * request; requests no route takes go on to the precache (the app shell). Adding a route —
 * `/api/v0/`, `/ipns/` resolution — is a new file and one entry in `sw.ts`.
 */
export interface FetchRoute {
  name: string
  canHandle(url: URL, request: Request): boolean
  handle(event: FetchEvent): Promise<Response>
}

/** Where a message came from, as the worker judges it. */
export interface MessageContext {
  event: ExtendableMessageEvent
  /** The sender is a window of this app (not content, not another origin). */
  fromApp: boolean
  /** The reply port that came with the message, if any. */
  port: MessagePort | undefined
}

/**
 * A kind of message the Service Worker understands. The first kind whose `canHandle` is true
 * takes the message; kinds that act for the app alone say `appOnly`, and messages from
 * anything else are then dropped (the RPC kind answers them itself, with a refusal).
 */
export interface MessageRoute {
  name: string
  appOnly: boolean
  canHandle(data: unknown, context: MessageContext): boolean
  handle(data: unknown, context: MessageContext): void
}
