import { logger } from '@libp2p/logger'
import { TypedEventEmitter } from 'main-event'
import { BridgeHost } from './bridge-host.ts'

const log = logger('cairn:bridge')

/** No open page can host a WebRTC connection for the Service Worker. */
export class NoBridgeHostError extends Error {
  override name = 'NoBridgeHostError'
}

/**
 * The pages currently offering to host WebRTC for the Service Worker. New connections go to
 * the most recent host; a host whose page is gone is removed and its connections closed.
 */
/** Events of the hosts: `change` with the number of hosting pages. */
export interface BridgeHostsEvents {
  change: CustomEvent<number>
}

export class BridgeHosts extends TypedEventEmitter<BridgeHostsEvents> {
  private readonly hosts = new Map<string, BridgeHost>()

  /** Registers a page's port, replacing an earlier port of the same page. */
  add (clientId: string, port: MessagePort): BridgeHost {
    this.hosts.get(clientId)?.close()
    const host = new BridgeHost(clientId, port, gone => {
      if (this.hosts.get(gone.clientId) === gone) this.hosts.delete(gone.clientId)
      this.safeDispatchEvent('change', { detail: this.hosts.size })
    })
    this.hosts.set(clientId, host)
    log('page %s hosts WebRTC (%d hosts)', clientId, this.hosts.size)
    this.safeDispatchEvent('change', { detail: this.hosts.size })
    return host
  }

  /** The host for a new connection: the most recently registered page still open. */
  pick (): BridgeHost {
    const hosts = [...this.hosts.values()]
    const host = hosts[hosts.length - 1]
    if (host === undefined) throw new NoBridgeHostError('WebRTC needs an open Cairn page to host the connection, and none is open')
    return host
  }

  get count (): number { return this.hosts.size }

  /** Ids of the pages that host now. */
  get clientIds (): string[] { return [...this.hosts.keys()] }

  /** Closes the hosts whose pages `isOpen` no longer finds. */
  async prune (isOpen: (clientId: string) => Promise<boolean>): Promise<void> {
    for (const host of [...this.hosts.values()]) {
      if (!(await isOpen(host.clientId))) host.close()
    }
  }
}
