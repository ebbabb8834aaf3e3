import { createCairn, type Cairn } from '../../src/cairn/cairn.ts'
import { MemoryBlockstore } from '../../src/content/blockstore/memory-blockstore.ts'
import { memoryStoreLock } from '../../src/content/blockstore/store-lock.ts'
import { MemoryImportLog } from '../../src/content/imports/import-log.ts'
import type { ExchangeSettings } from '../../src/exchange/settings.ts'
import { MemorySettingsStore } from '../../src/lib/settings-store.ts'
import { MemoryIdentityStore } from '../../src/p2p/identity.ts'
import type { NetworkEvent } from '../../src/p2p/network-service.ts'
import { MemoryCacheIndexStore } from '../../src/library/cache-index.ts'
import { MemoryPinStore } from '../../src/library/pins.ts'
import { MemoryNameStore } from '../../src/names/name-store.ts'
import { MemoryNameKeyStore } from '../../src/names/name-keys.ts'
import { MemoryRoomStore } from '../../src/rooms/room-store.ts'
import { MemoryRemotePinStore } from '../../src/remote/keep-online.ts'

/** A node on memory twins of every store. */
export interface MemoryCairn {
  cairn: Cairn
  blockstore: MemoryBlockstore
  identity: MemoryIdentityStore
}

/**
 * A Cairn node in Node.js on memory twins of every store, no relays, local addresses allowed.
 * `exchange` replaces the default sources (public endpoints, unreachable here).
 */
export async function memoryCairn (options: { events?: NetworkEvent[], exchange?: ExchangeSettings } = {}): Promise<MemoryCairn> {
  const identity = new MemoryIdentityStore()
  const blockstore = new MemoryBlockstore()
  const exchangeSettings = new MemorySettingsStore<ExchangeSettings>()
  await exchangeSettings.save(options.exchange ?? { share: true, routers: [], gateways: [] })
  const cairn = createCairn({
    effectiveSettings: async settings => ({ relays: settings.relays ?? [], allowLocalAddresses: true, iceServers: [] }),
    emit: event => options.events?.push(event),
    webrtcHosts: () => 0
  }, {
    blockstore,
    imports: new MemoryImportLog(),
    lock: memoryStoreLock(),
    identity,
    settings: new MemorySettingsStore(),
    exchangeSettings,
    rooms: new MemoryRoomStore(),
    pins: new MemoryPinStore(),
    cache: new MemoryCacheIndexStore(),
    names: new MemoryNameStore(),
    nameKeys: new MemoryNameKeyStore(),
    librarySettings: new MemorySettingsStore(),
    remotePins: new MemoryRemotePinStore(),
    remoteSettings: new MemorySettingsStore()
  })
  await cairn.start()
  return { cairn, blockstore, identity }
}
