/// <reference lib="webworker" />
import { logger } from '@libp2p/logger'
import { bridgeHosts } from '../bridge/install.ts'
import { BRIDGE_TAG, type BridgeRequest } from '../bridge/protocol.ts'
import { createCairn, type Cairn } from '../cairn/cairn.ts'
import { ready } from '../hotpath/index.ts'
import { webStoreLock } from '../content/blockstore/store-lock.ts'
import type { EffectiveSettings, NetworkService } from '../p2p/network-service.ts'
import { isLocalHost } from '../lib/local-host.ts'
import type { NetworkSettings } from '../p2p/settings.ts'
import { openCairnDatabase } from '../storage/database.ts'
import { IdbBlockstore } from '../storage/idb-blockstore.ts'
import { IdbIdentityStore } from '../storage/idb-identity-store.ts'
import { IdbImportLog } from '../storage/idb-import-log.ts'
import { IdbPinStore } from '../storage/idb-pin-store.ts'
import { IdbRecordStore } from '../storage/idb-record-store.ts'
import { IdbRoomStore } from '../storage/idb-room-store.ts'
import { IdbSettingsStore } from '../storage/idb-settings-store.ts'
import { broadcast } from './events.ts'
import { timeStep } from './start-timing.ts'
import { precachedHotpath } from './wasm-url.ts'

declare const self: ServiceWorkerGlobalScope

const log = logger('cairn:sw:node')

/** What the server that served the app runs beside it: its relay, and its home node with this app's token. */
interface Served {
  relays: string[]
  home?: { endpoint: string, token: string }
}

/**
 * The relay and home node that served the app, if it was served by `npm start` (which
 * answers `/relay.json` with them); none for a static deployment.
 */
async function fetchServed (): Promise<Served> {
  try {
    const response = await fetch(new URL('/relay.json', self.location.origin), { cache: 'no-store' })
    if (!response.ok) return { relays: [] }
    const body = await response.json() as { multiaddrs?: unknown, home?: { endpoint?: unknown, token?: unknown } }
    const relays = Array.isArray(body.multiaddrs) ? body.multiaddrs.filter((m): m is string => typeof m === 'string') : []
    const { endpoint, token } = body.home ?? {}
    return { relays, ...(typeof endpoint === 'string' && typeof token === 'string' ? { home: { endpoint, token } } : {}) }
  } catch {
    return { relays: [] }
  }
}

let servedCache: { at: number, served: Promise<Served> } | undefined

/** `fetchServed`, asked at most once a minute (settings are read on every fetch of a block). */
async function served (): Promise<Served> {
  if (servedCache === undefined || Date.now() - servedCache.at > 60_000) {
    servedCache = { at: Date.now(), served: fetchServed() }
  }
  return servedCache.served
}

async function servedRelays (): Promise<string[]> {
  return (await served()).relays
}

/** Settings with the defaults of where the app runs filled in. */
async function effectiveSettings (settings: NetworkSettings): Promise<EffectiveSettings> {
  return {
    relays: settings.relays ?? await servedRelays(),
    allowLocalAddresses: settings.allowLocalAddresses ?? isLocalHost(self.location.hostname),
    iceServers: settings.iceServers
  }
}

/** The worker's node: IndexedDB stores, events to every tab, WebRTC through open pages. */
async function start (): Promise<Cairn> {
  const started = performance.now()
  const [db] = await Promise.all([timeStep('db', async () => openCairnDatabase()), timeStep('wasm', async () => ready(precachedHotpath()))])
  const cairn = createCairn({
    estimateStorage: async () => navigator.storage?.estimate?.() ?? {},
    effectiveSettings,
    emit: broadcast,
    // Pages that were open before this worker started hold no port to it yet.
    networkStarted: () => { void askPagesToHost() },
    webrtcHosts: () => bridgeHosts.count,
    servedHome: async () => (await served()).home
  }, {
    blockstore: new IdbBlockstore(db),
    imports: new IdbImportLog(db),
    lock: webStoreLock(),
    identity: new IdbIdentityStore(db),
    settings: new IdbSettingsStore(db, 'network'),
    exchangeSettings: new IdbSettingsStore(db, 'exchange'),
    rooms: new IdbRoomStore(db),
    pins: new IdbPinStore(db, 'pins'),
    cache: new IdbRecordStore(db, 'cache'),
    names: new IdbRecordStore(db, 'names'),
    nameKeys: new IdbRecordStore(db, 'keys'),
    librarySettings: new IdbSettingsStore(db, 'library'),
    remotePins: new IdbRecordStore(db, 'remote'),
    remoteSettings: new IdbSettingsStore(db, 'remote')
  })
  // An import the browser cut short (the worker was stopped) is taken back before anything else.
  await timeStep('node', async () => cairn.start())
  log('node ready in %d ms', Math.round(performance.now() - started))
  return cairn
}

let cairn: Promise<Cairn> | undefined

/**
 * The node, started on first use. The browser may stop the Service Worker at any time, so
 * nothing is started eagerly and everything durable lives in IndexedDB; the network starts
 * on the first call that needs it. A failed start is retried on the next call.
 */
export async function getCairn (): Promise<Cairn> {
  cairn ??= start().catch(err => {
    cairn = undefined
    throw err
  })
  return cairn
}

/** The node's running network, started if needed. */
export async function getNetwork (): Promise<NetworkService> {
  return (await getCairn()).network.get()
}

/** Asks every open app page that does not host yet for a WebRTC bridge port. */
export async function askPagesToHost (): Promise<void> {
  const request: BridgeRequest = { tag: BRIDGE_TAG, type: 'need-host' }
  for (const client of await self.clients.matchAll({ type: 'window' })) {
    if (!bridgeHosts.clientIds.includes(client.id)) client.postMessage(request)
  }
}

bridgeHosts.addEventListener('change', () => {
  if (cairn !== undefined) void cairn.then(node => node.network.webrtcHostsChanged(), () => {})
})
