/** A name this node publishes: where it was last published, and how that went. */
export interface PublishedName {
  /** `/ipfs/…` or `/ipns/…`. */
  value: string
  /** The record's sequence number, as decimal text. */
  sequence: string
  /** When the record's signature stops being valid (ms since the epoch). */
  validUntil: number
  ttlMs: number
  lifetimeMs: number
  publishedAt: number
  /** Routing endpoints that accepted the record, and when. */
  accepted: Array<{ url: string, at: number }>
  /** Routing endpoints that refused it or could not be reached, and why. */
  failed: Array<{ url: string, reason: string }>
}

/** A key this node holds for a name it publishes. */
export interface NameKeyRecord {
  /** The name: the key's `libp2p-key` CID in base36 (`k51…`). */
  id: string
  /** What the user calls it. */
  label: string
  /** The private key in the libp2p protobuf form (what `ipfs key export` writes). */
  key: Uint8Array
  createdAt: number
  published?: PublishedName
}

/** Where name keys live: IndexedDB in the app (schema v9, store `keys`), memory in tests. */
export interface NameKeyStore {
  get(id: string): Promise<NameKeyRecord | undefined>
  put(record: NameKeyRecord): Promise<void>
  delete(id: string): Promise<void>
  list(): Promise<NameKeyRecord[]>
}

/** Name keys in memory: for unit tests only. */
export class MemoryNameKeyStore implements NameKeyStore {
  private readonly keys = new Map<string, NameKeyRecord>()

  async get (id: string): Promise<NameKeyRecord | undefined> {
    return this.keys.get(id)
  }

  async put (record: NameKeyRecord): Promise<void> {
    this.keys.set(record.id, record)
  }

  async delete (id: string): Promise<void> {
    this.keys.delete(id)
  }

  async list (): Promise<NameKeyRecord[]> {
    return [...this.keys.values()]
  }
}
