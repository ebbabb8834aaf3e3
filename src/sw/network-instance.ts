/// <reference lib="webworker" />
import { logger } from '@libp2p/logger'
import { bridgeHosts } from '../bridge/install.ts'
import { BRIDGE_TAG, type BridgeRequest } from '../bridge/protocol.ts'
import { loadOrCreateIdentity } from '../p2p/identity.ts'
import { NetworkService, type EffectiveSettings, type NetworkStatus } from '../p2p/network-service.ts'
import { DEFAULT_SETTINGS, isLocalHost, type NetworkSettings } from '../p2p/settings.ts'
import { IdbIdentityStore } from '../storage/idb-identity-store.ts'
import { IdbRoomStore } from '../storage/idb-room-store.ts'
import { IdbSettingsStore } from '../storage/idb-settings-store.ts'
import { broadcast } from './events.ts'
import { getServices } from './node-instance.ts'

declare const self: ServiceWorkerGlobalScope

const log = logger('cairn:sw:network')

let network: Promise<NetworkService> | undefined
let lastError: string | undefined

/**
 * The relay that served the app, if it was served by `npm start` (which answers
 * `/relay.json` with the bundled relay's addresses); none for a static deployment.
 */
async function servedRelays (): Promise<string[]> {
  try {
    const response = await fetch(new URL('/relay.json', self.location.origin), { cache: 'no-store' })
    if (!response.ok) return []
    const body = await response.json() as { multiaddrs?: unknown }
    return Array.isArray(body.multiaddrs) ? body.multiaddrs.filter((m): m is string => typeof m === 'string') : []
  } catch {
    return []
  }
}

/** The saved settings (defaults when none). */
export async function loadSettings (): Promise<NetworkSettings> {
  const { db } = await getServices()
  return (await new IdbSettingsStore(db).load()) ?? DEFAULT_SETTINGS
}

/** Saves settings; the network picks them up at its next start (`restartNetwork`). */
export async function saveSettings (settings: NetworkSettings): Promise<void> {
  const { db } = await getServices()
  await new IdbSettingsStore(db).save(settings)
}

/** Settings with their defaults filled in. */
export async function effectiveSettings (settings: NetworkSettings): Promise<EffectiveSettings> {
  return {
    relays: settings.relays ?? await servedRelays(),
    allowLocalAddresses: settings.allowLocalAddresses ?? isLocalHost(self.location.hostname),
    iceServers: settings.iceServers
  }
}

async function start (): Promise<NetworkService> {
  broadcast({ type: 'node.status', detail: startingStatus() })
  const { db } = await getServices()
  const [privateKey, settings] = await Promise.all([loadOrCreateIdentity(new IdbIdentityStore(db)), loadSettings()])
  const service = await NetworkService.start({
    privateKey,
    settings: await effectiveSettings(settings),
    roomStore: new IdbRoomStore(db),
    emit: broadcast,
    webrtcHosts: () => bridgeHosts.count
  })
  lastError = undefined
  service.emitStatus()
  // Pages that were open before this worker started hold no port to it yet.
  void askPagesToHost()
  return service
}

function startingStatus (): NetworkStatus {
  return { state: 'starting', relays: [], webrtcHosts: bridgeHosts.count }
}

/**
 * The network side of the node, started on first use. After the browser stops the worker,
 * the next event starts it again: same identity, same rooms (both from IndexedDB).
 */
export async function getNetwork (): Promise<NetworkService> {
  network ??= start().catch(err => {
    network = undefined
    lastError = (err as Error).message
    log.error('network start failed: %s', lastError)
    broadcast({ type: 'node.status', detail: currentStatusSync() })
    throw err
  })
  return network
}

/** The status without waiting for a start in progress. */
function currentStatusSync (): NetworkStatus {
  return lastError !== undefined ? { state: 'failed', relays: [], webrtcHosts: bridgeHosts.count, error: lastError } : startingStatus()
}

/** The node's status: starts the network if it is not running. */
export async function networkStatus (): Promise<NetworkStatus> {
  try {
    return (await getNetwork()).status()
  } catch {
    return currentStatusSync()
  }
}

/** Stops the running network (if any) so the next use starts it with new settings. */
export async function restartNetwork (): Promise<NetworkService> {
  const running = network
  network = undefined
  if (running !== undefined) await (await running.catch(() => undefined))?.stop()
  return getNetwork()
}

/** Asks every open app page for a WebRTC bridge port. */
export async function askPagesToHost (): Promise<void> {
  const request: BridgeRequest = { tag: BRIDGE_TAG, type: 'need-host' }
  for (const client of await self.clients.matchAll({ type: 'window' })) {
    if (!bridgeHosts.clientIds.includes(client.id)) client.postMessage(request)
  }
}

bridgeHosts.addEventListener('change', () => {
  if (network !== undefined) void network.then(service => service.webrtcHostsChanged(), () => {})
})
