import { CID } from 'multiformats/cid'
import { addFiles, type AddProgress, type AddSummary } from '../add/add-files.ts'
import type { AddEntry } from '../add/add-tree.ts'
import type { BaseBlockstore } from '../content/blockstore/base-blockstore.ts'
import type { JournaledBlockstore } from '../content/blockstore/journaled-blockstore.ts'
import type { StoreLock } from '../content/blockstore/store-lock.ts'
import { createBlocks, type Blocks } from '../content/blocks.ts'
import { importCar, type CarImportProgress, type CarImportSummary } from '../content/car/car-import.ts'
import { recoverImports } from '../content/imports/journal.ts'
import type { ImportLog, ImportRecord } from '../content/imports/import-log.ts'
import { createContentService, type ContentService } from '../content/content-service.ts'
import type { IdentityStore } from '../p2p/identity.ts'
import type { EffectiveSettings, NetworkEvent } from '../p2p/network-service.ts'
import type { ExchangeSettings } from '../exchange/settings.ts'
import type { UnixfsProfile } from '../hotpath/index.ts'
import { Library } from '../library/library.ts'
import type { CacheIndexStore } from '../library/cache-index.ts'
import type { PinStore } from '../library/pins.ts'
import { EvictionScheduler } from '../library/eviction-scheduler.ts'
import { DEFAULT_LIBRARY_SETTINGS, type LibrarySettings } from '../library/settings.ts'
import type { SettingsStore } from '../lib/settings-store.ts'
import type { NetworkSettings } from '../p2p/settings.ts'
import type { RoomStore } from '../rooms/room-store.ts'
import { NameResolver } from '../names/name-resolver.ts'
import type { NameStore } from '../names/name-store.ts'
import type { NameKeyStore } from '../names/name-keys.ts'
import { NamePublisher } from '../names/name-publisher.ts'
import { NamePins } from '../library/name-pins.ts'
import { fetchDag } from '../exchange/fetch-dag.ts'
import { ContentExchange } from './content-exchange.ts'
import { KeepOnline, type RemotePinStore } from '../remote/keep-online.ts'
import type { RemoteSettings } from '../remote/services.ts'
import { pinKey } from '../library/pins.ts'
import { multiaddr } from '@multiformats/multiaddr'
import { LazyNetwork } from './lazy-network.ts'

/** How often published names are checked for republishing, followed names resolved and remote pins checked, while the node runs. */
const NAME_UPKEEP_MS = 60_000
/** The first upkeep after a start, once what woke the worker has been answered. */
const FIRST_UPKEEP_MS = 2_000

/** User options: how this node fits where it runs. */
export interface CairnInit {
  /** Storage quota and usage, where the runtime can tell (`navigator.storage.estimate`). */
  estimateStorage?: () => Promise<{ quota?: number, usage?: number }>
  /** Saved settings → the settings in force (defaults depend on where the app runs). */
  effectiveSettings: (settings: NetworkSettings) => Promise<EffectiveSettings>
  /** Receives network events (room messages, status) for the pages. */
  emit: (event: NetworkEvent) => void
  /** How many open pages can host a WebRTC connection now. */
  webrtcHosts: () => number
  /** Called each time the network has started. */
  networkStarted?: () => void
  /**
   * The home node of the server that served the app (`npm start`), with this app's token:
   * a pinning service, a trustless gateway and a routing endpoint next to the user's own.
   */
  servedHome?: () => Promise<{ endpoint: string, token: string } | undefined>
}

/**
 * Injected parts: where everything durable lives. IndexedDB in the app (`storage/`), memory
 * twins in tests.
 */
export interface CairnComponents {
  blockstore: BaseBlockstore & JournaledBlockstore
  imports: ImportLog
  /** Writes hold it shared, garbage collection exclusively. */
  lock: StoreLock
  identity: IdentityStore
  settings: SettingsStore<NetworkSettings>
  exchangeSettings: SettingsStore<ExchangeSettings>
  rooms: RoomStore
  pins: PinStore
  /** The index of opened content (the Library's "recently viewed"). */
  cache: CacheIndexStore
  /** What IPNS names and DNSLink domains last pointed at. */
  names: NameStore
  /** The keys of the names this node publishes. */
  nameKeys: NameKeyStore
  librarySettings: SettingsStore<LibrarySettings>
  /** Where pins are kept online, and the pinning services the user added. */
  remotePins: RemotePinStore
  remoteSettings: SettingsStore<RemoteSettings>
}

/** Options of one CAR import. */
export interface CarImportRequest {
  /** Shown in the import list; usually the file name. */
  name: string
  totalBytes?: number
  onProgress?: (progress: CarImportProgress) => void
  signal?: AbortSignal
}

/** CAR files in and out of the node. */
export interface CarImports {
  /** Imports a CAR, all or nothing (see `content/car/car-import.ts`). */
  import(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, request: CarImportRequest): Promise<CarImportSummary>
  /** Finished imports, newest first. */
  list(): Promise<ImportRecord[]>
}

/** Options of one addition of files and folders. */
export interface FileAddRequest {
  /** The pin's name and the import list's. */
  name: string
  profile?: UnixfsProfile
  wrap?: boolean
  onProgress?: (progress: AddProgress) => void
  signal?: AbortSignal
}

/** Files and folders into the node. */
export interface FileAdditions {
  /** Adds them as UnixFS, all or nothing, and pins the root (see `add/add-files.ts`). */
  add(entries: AddEntry[], request: FileAddRequest): Promise<AddSummary>
}

/**
 * A Cairn node: the one thing "node" means. `blocks` is how anything reads or writes blocks
 * (local first, then fetched), `content` the DAG and block operations of the explorer, `cars`
 * CAR import, `files` adding files and folders, `network` the libp2p side (started on first use), `exchange` where missing
 * blocks come from and its settings.
 */
export interface Cairn {
  readonly blocks: Blocks
  readonly content: ContentService
  readonly cars: CarImports
  readonly files: FileAdditions
  readonly network: LazyNetwork
  readonly exchange: ContentExchange
  /** Pins, opened content, garbage collection and eviction. */
  readonly library: Library
  /** IPNS names and DNSLink domains to content, kept for offline use. */
  readonly names: NameResolver
  /** The names this node publishes (republished while it runs). */
  readonly publisher: NamePublisher
  /** Pins that follow names (checked while it runs). */
  readonly namePins: NamePins
  /** Pins kept online on pinning services (checked while it runs). */
  readonly keepOnline: KeepOnline
  /** The library's settings (the cache budget); saving one checks the budget at once. */
  librarySettings(): Promise<LibrarySettings>
  applyLibrarySettings(settings: LibrarySettings): Promise<void>
  /** Finishes what a stopped worker left (rolls back interrupted imports). Run once, first. */
  start(): Promise<void>
  /** Stops the network; the stores stay as they are. */
  stop(): Promise<void>
}

/**
 * The composition root: builds a node from its options and its parts, in the manner of
 * Helia's `createHelia`. Nothing starts here; `start()` recovers, the network starts lazily.
 */
export function createCairn (init: CairnInit, components: CairnComponents): Cairn {
  const { blockstore, imports, lock } = components
  let exchange: ContentExchange | undefined
  const network = new LazyNetwork({
    blockstore,
    sharing: () => exchange?.sharing() ?? false,
    identity: components.identity,
    settings: components.settings,
    rooms: components.rooms,
    // Rooms keep their history as blocks: read local first, then from peers only (a room's
    // messages are not asked of public gateways or routers).
    history: {
      get: async (cid, options) => blocks.get(cid, { ...options, peersOnly: true }),
      put: async (cid, bytes) => { await blocks.put(cid, bytes) }
    },
    effectiveSettings: init.effectiveSettings,
    emit: init.emit,
    webrtcHosts: init.webrtcHosts,
    ...(init.networkStarted === undefined ? {} : { networkStarted: init.networkStarted })
  })
  const servedHome = init.servedHome ?? (async () => undefined)
  const contentExchange = exchange = new ContentExchange(components.exchangeSettings, network, async () => (await servedHome())?.endpoint)
  const blocks = createBlocks({
    blockstore,
    lock,
    network: {
      fetch: async (cid, options) => contentExchange.exchange.fetch(cid, options),
      announce: cid => {
        network.ifRunning(service => { service.bitswap.announce(cid) })
        eviction.written()
      }
    }
  })
  const names = new NameResolver({ store: components.names, sources: async () => contentExchange.nameSources() })
  const publisher = new NamePublisher({ keys: components.nameKeys, names: names.kept, endpoints: async () => (await contentExchange.nameSources()).routers })
  let upkeep: ReturnType<typeof setInterval> | undefined
  let firstUpkeep: ReturnType<typeof setTimeout> | undefined
  const content = createContentService({ blocks, blockstore, ...(init.estimateStorage === undefined ? {} : { estimateStorage: init.estimateStorage }) })
  const library = new Library({
    blockstore,
    pins: components.pins,
    lock,
    cache: components.cache,
    // The joined rooms' histories are kept as if pinned.
    kept: async () => Object.values((await components.rooms.load())?.heads ?? {}).flat().map(head => CID.parse(head))
  })
  const namePins = new NamePins({
    library,
    resolve: async name => (await names.resolve(name)).cid,
    fetchAll: async root => fetchDag(blocks, root)
  })
  const keepOnline = new KeepOnline({
    settings: components.remoteSettings,
    store: components.remotePins,
    bundled: servedHome,
    origins: async () => {
      const node = (await network.get()).node
      const self = node.peerId.toString()
      return node.getMultiaddrs().map(String).filter(a => a.endsWith(`/p2p/${self}`))
    },
    connect: async delegates => {
      const node = (await network.get()).node
      await Promise.all(delegates.map(async address => {
        const target = multiaddr(address)
        const peer = target.getComponents().at(-1)?.value
        if (peer !== undefined && node.getConnections().some(c => c.remotePeer.toString() === peer)) return
        await node.dial(target, { signal: AbortSignal.timeout(10_000) }).catch(() => {})
      }))
    }
  })
  const librarySettings = async (): Promise<LibrarySettings> => (await components.librarySettings.load()) ?? DEFAULT_LIBRARY_SETTINGS
  const eviction = new EvictionScheduler({
    library,
    stored: async () => (await blockstore.stat()).bytes,
    budget: async () => {
      const { quota } = await init.estimateStorage?.() ?? {}
      return quota === undefined ? undefined : Math.floor(quota * (await librarySettings()).cacheShare)
    }
  })
  return {
    blocks,
    content,
    network,
    exchange: contentExchange,
    library,
    names,
    publisher,
    namePins,
    keepOnline,
    librarySettings,
    applyLibrarySettings: async settings => {
      await components.librarySettings.save(settings)
      await eviction.check()
    },
    cars: {
      // The roots it holds are pinned recursively under the file's name, before the lock is let go.
      import: async (source, request) => importCar(source, {
        blockstore,
        imports,
        lock,
        ...request,
        afterCommit: async summary => {
          for (const root of summary.roots.filter(r => !summary.missingRoots.includes(r))) {
            await library.pin(CID.parse(root), { name: request.name, origin: 'imported' })
            void keepOnline.keepNew(pinKey(CID.parse(root)), request.name).catch(() => {})
          }
          eviction.written()
        }
      }),
      list: async () => (await imports.list()).filter(record => record.state === 'done' && record.kind !== 'files')
    },
    files: {
      // The root is pinned recursively under the request's name, before the lock is let go.
      add: async (entries, request) => addFiles(entries, {
        blockstore,
        imports,
        lock,
        ...request,
        afterCommit: async summary => {
          await library.pin(CID.parse(summary.root), { name: request.name, origin: 'added' })
          void keepOnline.keepNew(pinKey(CID.parse(summary.root)), request.name).catch(() => {})
          eviction.written()
        }
      })
    },
    start: async () => {
      await recoverImports(blockstore, imports, lock)
      await contentExchange.load()
      // Names this node publishes are signed and handed out again before half their validity
      // is gone; pins that follow names move when their names do.
      const tend = (): void => {
        void publisher.republishDue().catch(() => {})
        void namePins.check().catch(() => {})
        void keepOnline.check().catch(() => {})
      }
      // Not at once: a worker started by a request answers it first (see the cold bench).
      firstUpkeep ??= setTimeout(tend, FIRST_UPKEEP_MS)
      upkeep ??= setInterval(tend, NAME_UPKEEP_MS)
    },
    stop: async () => {
      clearTimeout(firstUpkeep)
      clearInterval(upkeep)
      firstUpkeep = undefined
      upkeep = undefined
      await network.stop()
    }
  }
}
