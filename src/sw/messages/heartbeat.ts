/// <reference lib="webworker" />
import { bridgeHosts } from '../../bridge/install.ts'
import { isHeartbeat } from '../../rpc/heartbeat.ts'
import { askPagesToHost, getNetwork } from '../cairn-instance.ts'
import type { MessageRoute } from '../route.ts'

declare const self: ServiceWorkerGlobalScope

/** Closes the WebRTC hosts whose pages are gone without saying goodbye. */
export async function pruneBridgeHosts (): Promise<void> {
  await bridgeHosts.prune(async id => (await self.clients.get(id)) !== undefined)
}

/**
 * A page's heartbeat: keeps this worker alive, (re)starts the network after a restart, and
 * asks the page to host WebRTC if it does not yet.
 */
export const heartbeatMessage: MessageRoute = {
  name: 'heartbeat',
  appOnly: true,
  canHandle: data => isHeartbeat(data),
  handle: (_data, { event }) => {
    event.waitUntil(Promise.all([
      getNetwork().catch(() => undefined),
      pruneBridgeHosts(),
      bridgeHosts.clientIds.includes((event.source as Client).id) ? undefined : askPagesToHost()
    ]))
  }
}
