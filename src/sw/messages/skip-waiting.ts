/// <reference lib="webworker" />
import type { MessageRoute } from '../route.ts'

declare const self: ServiceWorkerGlobalScope

/** `SKIP_WAITING` from the update prompt: activate the waiting version (workbox-window's message). */
export const skipWaitingMessage: MessageRoute = {
  name: 'skip-waiting',
  appOnly: true,
  canHandle: data => typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'SKIP_WAITING',
  handle: () => { void self.skipWaiting() }
}
