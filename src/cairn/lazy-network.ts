import { logger } from '@libp2p/logger'
import { loadOrCreateIdentity, type IdentityStore } from '../p2p/identity.ts'
import { createNetworkService, type EffectiveSettings, type NetworkEvent, type NetworkService, type NetworkStatus } from '../p2p/network-service.ts'
import type { BaseBlockstore } from '../content/blockstore/base-blockstore.ts'
import type { SettingsStore } from '../lib/settings-store.ts'
import { DEFAULT_SETTINGS, type NetworkSettings } from '../p2p/settings.ts'
import type { RoomStore } from '../rooms/room-store.ts'
import type { RoomHistoryBlocks } from '../rooms/room-service.ts'

const log = logger('cairn:network')

/** What the network is started with. */
export interface LazyNetworkInit {
  identity: IdentityStore
  settings: SettingsStore<NetworkSettings>
  rooms: RoomStore
  /** The blocks Bitswap serves to peers. */
  blockstore: BaseBlockstore
  /** Whether to serve them now (the "share stored blocks" setting). */
  sharing: () => boolean
  /** Where the rooms keep and fetch their history blocks (the node's `Blocks`). */
  history: RoomHistoryBlocks
  /** Saved settings → the settings in force (defaults depend on where the app runs). */
  effectiveSettings: (settings: NetworkSettings) => Promise<EffectiveSettings>
  /** Receives room events and status changes, for the pages. */
  emit: (event: NetworkEvent) => void
  /** How many open pages can host a WebRTC connection now. */
  webrtcHosts: () => number
  /** Called each time the network has started. */
  networkStarted?: () => void
}

/**
 * The network side of the node (libp2p, relays, rooms), started on first use and started
 * again after a failure or a change of settings. After the browser stops the worker, the
 * next use starts it again: same identity, same rooms (both from their stores).
 */
export class LazyNetwork {
  private readonly init: LazyNetworkInit
  private running: Promise<NetworkService> | undefined
  private started: NetworkService | undefined
  private lastError: string | undefined
  private saved: Promise<NetworkSettings> | undefined

  constructor (init: LazyNetworkInit) {
    this.init = init
  }

  /** The running network; starts it if needed. */
  async get (): Promise<NetworkService> {
    this.running ??= this.start().catch(err => {
      this.running = undefined
      this.lastError = (err as Error).message
      log.error('network start failed: %s', this.lastError)
      this.init.emit({ type: 'node.status', detail: this.statusWithoutNetwork() })
      throw err
    })
    return this.running
  }

  /** The node's connectivity; starts the network if it is not running. */
  async status (): Promise<NetworkStatus> {
    try {
      return (await this.get()).status()
    } catch {
      return this.statusWithoutNetwork()
    }
  }

  /**
   * The saved settings (defaults when none), read from the store once: every block fetched
   * asks for them, and only `applySettings` changes them.
   */
  async settings (): Promise<NetworkSettings> {
    this.saved ??= this.init.settings.load().then(saved => saved ?? DEFAULT_SETTINGS)
    try {
      return structuredClone(await this.saved)
    } catch (err) {
      this.saved = undefined
      throw err
    }
  }

  /** Whether local and insecure addresses may be used now (also decides `http://` loopback sources). */
  async allowLocal (): Promise<boolean> {
    return (await this.effective(await this.settings())).allowLocalAddresses
  }

  /** The settings in force for `settings`. */
  async effective (settings: NetworkSettings): Promise<EffectiveSettings> {
    return this.init.effectiveSettings(settings)
  }

  /** Saves settings and starts the network again with them (same identity, same rooms). */
  async applySettings (settings: NetworkSettings): Promise<void> {
    await this.init.settings.save(settings)
    this.saved = Promise.resolve(structuredClone(settings))
    await this.restart()
  }

  /** Stops the running network (if any); the next use starts it afresh. */
  async restart (): Promise<NetworkService> {
    await this.stop()
    return this.get()
  }

  /** Stops the running network, if any. */
  async stop (): Promise<void> {
    const running = this.running
    this.running = undefined
    this.started = undefined
    if (running !== undefined) await (await running.catch(() => undefined))?.stop()
  }

  /** Pages that can host WebRTC came or went. */
  webrtcHostsChanged (): void {
    this.ifRunning(service => { service.webrtcHostsChanged() })
  }

  /** The network if it has started (synchronously), else undefined. */
  current (): NetworkService | undefined {
    return this.started
  }

  /** Runs `action` on the network if it is running or starting; never starts it. */
  ifRunning (action: (service: NetworkService) => void): void {
    if (this.running !== undefined) void this.running.then(action, () => {})
  }

  private async start (): Promise<NetworkService> {
    this.init.emit({ type: 'node.status', detail: this.starting() })
    const [privateKey, settings] = await Promise.all([loadOrCreateIdentity(this.init.identity), this.settings()])
    const service = await createNetworkService({
      privateKey,
      settings: await this.init.effectiveSettings(settings),
      roomStore: this.init.rooms,
      emit: this.init.emit,
      webrtcHosts: this.init.webrtcHosts,
      blockstore: this.init.blockstore,
      sharing: this.init.sharing,
      history: this.init.history
    })
    await service.start()
    this.started = service
    this.lastError = undefined
    service.emitStatus()
    this.init.networkStarted?.()
    return service
  }

  private starting (): NetworkStatus {
    return { state: 'starting', relays: [], webrtcHosts: this.init.webrtcHosts() }
  }

  private statusWithoutNetwork (): NetworkStatus {
    return this.lastError !== undefined
      ? { state: 'failed', relays: [], webrtcHosts: this.init.webrtcHosts(), error: this.lastError }
      : this.starting()
  }
}
