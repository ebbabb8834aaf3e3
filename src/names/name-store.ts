/** What a name pointed at when a source last answered, kept for offline and stale answers. */
export interface KeptName {
  /** `k51…` for an IPNS name, the domain for DNSLink. */
  name: string
  kind: 'ipns' | 'dnslink'
  /** `/ipfs/…` or `/ipns/…`, possibly with a path. */
  value: string
  /** The signed IPNS record as received (served as is); absent for DNSLink. */
  record?: Uint8Array
  /** The IPNS record's sequence number, as decimal text. */
  sequence?: string
  /** When the IPNS record's signature stops being valid (ms since the epoch). */
  validUntil?: number
  /** How long the answer may be used without asking again (record TTL or DNS TTL), in ms. */
  ttlMs: number
  /** When a source last gave this answer (ms since the epoch). */
  fetchedAt: number
  /** Which routing endpoint or DNS resolver gave it. */
  source: string
}

/** Where kept names live: IndexedDB in the app (schema v9, store `names`), memory in tests. */
export interface NameStore {
  get(name: string): Promise<KeptName | undefined>
  put(kept: KeptName): Promise<void>
}

/** Kept names in memory: for unit tests and Node.js peers only. */
export class MemoryNameStore implements NameStore {
  private readonly names = new Map<string, KeptName>()

  async get (name: string): Promise<KeptName | undefined> {
    return this.names.get(name)
  }

  async put (kept: KeptName): Promise<void> {
    this.names.set(kept.name, kept)
  }
}
