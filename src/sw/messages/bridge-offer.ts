import { bridgeHosts } from '../../bridge/install.ts'
import { isBridgeOffer } from '../../bridge/protocol.ts'
import type { MessageRoute } from '../route.ts'

/** A page offers to host WebRTC connections for the worker over the port it sends. */
export const bridgeOfferMessage: MessageRoute = {
  name: 'bridge-offer',
  appOnly: true,
  canHandle: (data, { port }) => isBridgeOffer(data) && port !== undefined,
  handle: (_data, { event, port }) => {
    if (port !== undefined) bridgeHosts.add((event.source as Client).id, port)
  }
}
