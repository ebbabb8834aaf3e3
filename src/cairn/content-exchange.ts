import type { CID } from 'multiformats/cid'
import type { BlockBroker } from '../exchange/broker.ts'
import { DelegatedRouting } from '../exchange/delegated-routing.ts'
import { Exchange, type SourceStats } from '../exchange/exchange.ts'
import { gatewayBroker } from '../exchange/gateway-broker.ts'
import { DEFAULT_DNS_RESOLVERS, DEFAULT_EXCHANGE_SETTINGS, usableSources, type ExchangeSettings, type SourceSetting } from '../exchange/settings.ts'
import type { NameSources } from '../names/name-resolver.ts'
import type { NameSourceCounts } from '../names/source-counts.ts'
import type { SettingsStore } from '../lib/settings-store.ts'
import type { LazyNetwork } from './lazy-network.ts'

/** A source as the settings page shows it: the setting, whether it is used now, its counts. */
export interface SourceView {
  url: string
  enabled: boolean
  /** False for an `http://` loopback source while local addresses are not allowed. */
  usable: boolean
  stats?: SourceStats
  /** Its answers for names (routing endpoints: IPNS records; resolvers: DNSLink). */
  names?: NameSourceCounts
}

/** What the settings page shows about content exchange. */
export interface ExchangeView {
  settings: ExchangeSettings
  routers: SourceView[]
  gateways: SourceView[]
  /** DNS-over-HTTPS resolvers for DNSLink. */
  resolvers: SourceView[]
  bitswap?: SourceStats
  /** The home node of the server that served the app, used as a routing endpoint and a gateway besides these. */
  served?: string
}

/**
 * The node's content exchange as configured by the user: the `Exchange` racing Bitswap (on
 * the lazily started network) and the enabled trustless gateways, provider lookups through
 * the enabled delegated routers, and the "share stored blocks" switch Bitswap serving reads.
 */
export class ContentExchange {
  readonly exchange: Exchange
  private readonly store: SettingsStore<ExchangeSettings>
  private readonly network: LazyNetwork
  private current: ExchangeSettings = DEFAULT_EXCHANGE_SETTINGS
  private readonly gateways = new Map<string, BlockBroker>()
  private routing: { key: string, routing: DelegatedRouting } | undefined
  private readonly served: () => Promise<string | undefined>

  /** `served`: the home node of the server that served the app, if any (a router and a gateway besides the user's). */
  constructor (store: SettingsStore<ExchangeSettings>, network: LazyNetwork, served: () => Promise<string | undefined> = async () => undefined) {
    this.store = store
    this.network = network
    this.served = served
    this.exchange = new Exchange({
      brokers: async () => this.brokers(),
      findProviders: async (cid, signal) => this.findProviders(cid, signal)
    })
  }

  /** Reads the saved settings; run before serving (sharing reads them synchronously). */
  async load (): Promise<void> {
    this.current = (await this.store.load()) ?? DEFAULT_EXCHANGE_SETTINGS
  }

  /** Whether Bitswap serves stored blocks now. */
  sharing (): boolean {
    return this.current.share
  }

  /** Saves settings; they apply to the next block fetched (no restart). */
  async apply (settings: ExchangeSettings): Promise<void> {
    await this.store.save(settings)
    this.current = settings
  }

  /** Settings with each source's state and counts (`nameCounts`: the name resolver's). */
  async view (nameCounts: NameSourceCounts[] = []): Promise<ExchangeView> {
    const allowLocal = await this.network.allowLocal().catch(() => false)
    const stats = new Map(this.exchange.stats().map(s => [s.name, s]))
    const names = new Map(nameCounts.map(c => [c.url, c]))
    const sources = (list: SourceSetting[], counted: boolean): SourceView[] => list.map(s => {
      const usable = usableSources([{ ...s, enabled: true }], allowLocal).length === 1
      const counts = counted ? stats.get(s.url) : undefined
      const named = names.get(s.url)
      return { url: s.url, enabled: s.enabled, usable, ...(counts === undefined ? {} : { stats: counts }), ...(named === undefined ? {} : { names: named }) }
    })
    const bitswap = stats.get('bitswap')
    const served = await this.served().catch(() => undefined)
    return {
      ...(served === undefined ? {} : { served }),
      settings: { ...this.current, resolvers: this.resolvers() },
      routers: sources(this.current.routers, false),
      gateways: sources(this.current.gateways, true),
      resolvers: sources(this.resolvers(), false),
      ...(bitswap === undefined ? {} : { bitswap })
    }
  }

  /** Where names are looked up (and published) now: the usable routing endpoints and DNS-over-HTTPS resolvers. */
  async nameSources (): Promise<NameSources> {
    const allowLocal = await this.network.allowLocal().catch(() => false)
    return { routers: await this.withServed(this.current.routers, allowLocal), resolvers: usableSources(this.resolvers(), allowLocal) }
  }

  /** The usable ones of `sources`, and the served home node after them when it is usable too. */
  private async withServed (sources: SourceSetting[], allowLocal: boolean): Promise<string[]> {
    const served = await this.served().catch(() => undefined)
    const urls = usableSources([...sources, ...(served === undefined ? [] : [{ url: served, enabled: true }])], allowLocal)
    return [...new Set(urls)]
  }

  private resolvers (): SourceSetting[] {
    return this.current.resolvers ?? DEFAULT_DNS_RESOLVERS
  }

  private async brokers (): Promise<BlockBroker[]> {
    const allowLocal = await this.network.allowLocal().catch(() => false)
    const brokers: BlockBroker[] = [this.bitswapBroker]
    for (const url of await this.withServed(this.current.gateways, allowLocal)) {
      const key = `${url} ${allowLocal}`
      let broker = this.gateways.get(key)
      if (broker === undefined) {
        broker = gatewayBroker(url, { allowLocal })
        this.gateways.set(key, broker)
      }
      brokers.push(broker)
    }
    return brokers
  }

  /** Bitswap on the network, started if it is not running yet. */
  private readonly bitswapBroker: BlockBroker = {
    name: 'bitswap',
    kind: 'bitswap',
    retrieve: async (cid, options) => {
      let network
      try {
        network = await this.network.get()
      } catch (err) {
        throw new Error(`the network is not running (${(err as Error).message})`, { cause: err })
      }
      return network.bitswap.blockBroker.retrieve(cid, options)
    },
    idle: () => {
      const running = this.network.current()
      return running !== undefined && running.bitswap.nobodyToAsk()
    }
  }

  private async findProviders (cid: CID, signal: AbortSignal): Promise<void> {
    const allowLocal = await this.network.allowLocal().catch(() => false)
    const endpoints = await this.withServed(this.current.routers, allowLocal)
    const key = endpoints.join(' ')
    if (this.routing?.key !== key) {
      this.routing = { key, routing: new DelegatedRouting(endpoints, async () => (await this.network.get()).node) }
    }
    await this.routing.routing.findAndConnect(cid, signal)
  }
}
