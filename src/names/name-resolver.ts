import { logger } from '@libp2p/logger'
import { CID } from 'multiformats/cid'
import { DohResolver } from './dns-txt.ts'
import { lookupDnsLink } from './dnslink-lookup.ts'
import { InvalidNameValueError, NameChainError, NameUnavailableError } from './errors.ts'
import { lookupIpns } from './ipns-lookup.ts'
import { parseName, type IpnsKeyName, type ParsedName } from './name.ts'
import type { KeptName, NameStore } from './name-store.ts'
import { SourceCounter, type NameSourceCounts } from './source-counts.ts'

const log = logger('cairn:names')

/** Names followed at most from a name to content (the specs' limit). */
export const MAX_NAME_CHAIN = 32

/** How a step of a resolution was answered. */
export type StepState =
  /** A source answered within the answer's TTL. */
  | 'fresh'
  /** Past its TTL: answered from what is kept while a source is asked again in the background. */
  | 'stale'
  /** No source could be asked (offline, only-if-cached) or none answered: what is kept answers. */
  | 'kept'

/** One name of a chain, as resolved. */
export interface NameStep extends Omit<KeptName, 'record'> {
  state: StepState
  /** True when a kept IPNS record is past its EOL (answered only because nothing newer could be had). */
  expired: boolean
}

/** A name resolved to content. */
export interface Resolution {
  /** The name asked for, as given. */
  name: string
  /** Every name followed, first to last. */
  steps: NameStep[]
  /** The content: its root CID and the path under it. */
  cid: CID
  segments: string[]
  /** The shortest TTL of the chain, in ms: how long the answer may be cached. */
  ttlMs: number
  /** When the oldest answer of the chain was given by a source (ms since the epoch). */
  asOf: number
  /** True when any step was not fresh. */
  stale: boolean
}

/** Where names are looked up: the enabled routing endpoints and DNS resolvers, now. */
export interface NameSources {
  routers: string[]
  resolvers: string[]
}

/** What a name resolver is built from. */
export interface NameResolverInit {
  store: NameStore
  sources: () => Promise<NameSources>
  now?: () => number
  /** How long one lookup may take, in ms (default 15 s). */
  timeoutMs?: number
}

/** Options of one resolution. */
export interface ResolveOptions {
  /** Never ask a source: what is kept answers, or `NameUnavailableError`. */
  offline?: boolean
  signal?: AbortSignal
}

/**
 * Resolves IPNS names and DNSLink domains to content, following chains of names (up to 32;
 * a loop is an error). Every answer is kept (`NameStore`): within its TTL it answers at once;
 * past it, it answers and is refreshed in the background; with no source (offline, or none
 * answering) it answers as long as it is kept, past an IPNS record's EOL too, and says so. A
 * record never replaces a kept one with a higher sequence. Counts each source's answers.
 * Kept answers are read from memory once read or written (IndexedDB behind it).
 */
export class NameResolver {
  private readonly init: NameResolverInit
  private readonly counts = new SourceCounter()
  private readonly now: () => number
  private readonly refreshing = new Map<string, Promise<KeptName>>()
  private readonly dohResolvers = new Map<string, DohResolver>()
  /** Kept answers read or written since the worker started: a kept name answers without IndexedDB. */
  private readonly memory = new Map<string, KeptName>()

  /**
   * The kept answers, through this resolver: what is written here is seen by the next
   * resolution at once (the publisher keeps its own records through it).
   */
  readonly kept: NameStore = {
    get: async name => {
      const known = this.memory.get(name)
      if (known !== undefined) return known
      const stored = await this.init.store.get(name)
      if (stored !== undefined) this.memory.set(name, stored)
      return stored
    },
    put: async kept => {
      this.memory.set(kept.name, kept)
      await this.init.store.put(kept)
    }
  }

  constructor (init: NameResolverInit) {
    this.init = init
    this.now = init.now ?? Date.now
  }

  /** Each routing endpoint's and DNS resolver's answers for names so far. */
  stats (): NameSourceCounts[] {
    return this.counts.list()
  }

  /**
   * Resolves `name[/path…]` (the part after `/ipns/`) to content. Throws `InvalidNameError`,
   * `NameUnavailableError` (with what each source said), `NameChainError`,
   * `InvalidNameValueError`, or `InvalidIpnsRecordError`-based refusals counted in `stats`.
   */
  async resolve (name: string, segments: string[] = [], options: ResolveOptions = {}): Promise<Resolution> {
    const steps: NameStep[] = []
    const seen = new Set<string>()
    let parsed = parseName(name)
    let rest = segments
    for (;;) {
      if (seen.has(parsed.name)) throw new NameChainError(`the name ${parsed.name} leads back to itself (${[...seen, parsed.name].join(' → ')})`)
      if (steps.length >= MAX_NAME_CHAIN) throw new NameChainError(`${name} is more than ${MAX_NAME_CHAIN} names away from content`)
      seen.add(parsed.name)
      const step = await this.step(parsed, options)
      steps.push(step)
      const [namespace, target, ...path] = step.value.split('/').slice(1)
      rest = [...path.filter(s => s !== ''), ...rest]
      if (namespace === 'ipfs') {
        let cid: CID
        try {
          cid = CID.parse(target)
        } catch {
          throw new InvalidNameValueError(`${parsed.name} points at ${step.value}, whose CID cannot be read`)
        }
        return {
          name,
          steps,
          cid,
          segments: rest,
          ttlMs: Math.min(...steps.map(s => s.ttlMs)),
          asOf: Math.min(...steps.map(s => s.fetchedAt)),
          stale: steps.some(s => s.state !== 'fresh')
        }
      }
      parsed = parseName(target)
    }
  }

  /** The kept IPNS record of a name, refreshed as `resolve` would: for `?format=ipns-record`. */
  async record (name: IpnsKeyName, options: ResolveOptions = {}): Promise<{ step: NameStep, record: Uint8Array }> {
    const step = await this.step(name, options)
    const kept = await this.kept.get(name.name)
    if (kept?.record === undefined) throw new NameUnavailableError(`${name.name}: no record is kept`, [], false)
    return { step, record: kept.record }
  }

  private async step (name: ParsedName, options: ResolveOptions): Promise<NameStep> {
    // Where to ask is read while the kept answer is looked up: a cold name waits for one, not both.
    const sources = options.offline === true ? undefined : this.init.sources()
    sources?.catch(() => {})
    const kept = await this.kept.get(name.name)
    const now = this.now()
    if (kept !== undefined && (options.offline === true || now - kept.fetchedAt < kept.ttlMs)) {
      return this.stepOf(kept, options.offline === true && now - kept.fetchedAt >= kept.ttlMs ? 'kept' : 'fresh')
    }
    if (sources === undefined) throw new NameUnavailableError(`${name.name} is not kept, and only kept names may be used now`, [], false)
    if (kept !== undefined) {
      // Stale: answer now, ask again in the background.
      this.refresh(name, kept, sources).catch(err => { log('refreshing %s failed: %s', name.name, (err as Error).message) })
      return this.stepOf(kept, 'stale')
    }
    return this.stepOf(await this.refresh(name, undefined, sources, options.signal), 'fresh')
  }

  /** Asks the sources again (one lookup per name at a time) and keeps what they say. */
  private async refresh (name: ParsedName, kept: KeptName | undefined, sources: Promise<NameSources>, signal?: AbortSignal): Promise<KeptName> {
    const running = this.refreshing.get(name.name)
    if (running !== undefined) return running
    const lookup = sources.then(async found => this.lookup(name, kept, found, signal)).finally(() => this.refreshing.delete(name.name))
    this.refreshing.set(name.name, lookup)
    return lookup
  }

  private async lookup (name: ParsedName, kept: KeptName | undefined, sources: NameSources, signal?: AbortSignal): Promise<KeptName> {
    const timeout = AbortSignal.timeout(this.init.timeoutMs ?? 15_000)
    const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout])
    const now = this.now()
    const found = name.kind === 'ipns'
      ? await lookupIpns(name, { endpoints: sources.routers, counts: this.counts, now, signal: combined, ...(kept === undefined ? {} : { kept }) })
      : await lookupDnsLink(name, { resolvers: sources.resolvers.map(url => this.doh(url)), counts: this.counts, now, signal: combined })
    // The same sequence again confirms what is kept (keeping the later EOL); a higher one moves the name.
    const confirmed = kept?.sequence !== undefined && kept.sequence === found.sequence && (kept.validUntil ?? 0) > (found.validUntil ?? 0)
    const keep = confirmed ? { ...kept, fetchedAt: found.fetchedAt, ttlMs: found.ttlMs } : found
    // Kept in memory at once; the answer does not wait for IndexedDB's write to commit.
    this.kept.put(keep).catch(err => { log.error('keeping the answer for %s failed: %s', name.name, (err as Error).message) })
    return keep
  }

  private doh (url: string): DohResolver {
    let resolver = this.dohResolvers.get(url)
    if (resolver === undefined) {
      resolver = new DohResolver(url)
      this.dohResolvers.set(url, resolver)
    }
    return resolver
  }

  private stepOf (kept: KeptName, state: StepState): NameStep {
    const { record: _record, ...rest } = kept
    return { ...rest, state, expired: kept.validUntil !== undefined && kept.validUntil < this.now() }
  }
}
