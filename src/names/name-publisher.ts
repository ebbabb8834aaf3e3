import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { logger } from '@libp2p/logger'
import { createIPNSRecord, marshalIPNSRecord } from 'ipns'
import { base36 } from 'multiformats/bases/base36'
import { CID } from 'multiformats/cid'
import { InvalidNameKeyError, InvalidNameValueError, NameKeyNotFoundError } from './errors.ts'
import { parseName } from './name.ts'
import type { NameKeyRecord, NameKeyStore, PublishedName } from './name-keys.ts'
import type { NameStore } from './name-store.ts'
import { putRoutingRecord } from './routing-records.ts'

const log = logger('cairn:names:publish')

/** How long a published record is valid unless told otherwise (Kubo's and Helia's default). */
export const DEFAULT_LIFETIME_MS = 48 * 3600_000
/** How long others may use a published record before asking again, unless told otherwise. */
export const DEFAULT_PUBLISH_TTL_MS = 5 * 60_000
/** A label's longest form. */
const MAX_LABEL = 100

/** A name key as the UI sees it: never the private key. */
export type NameKeyView = Omit<NameKeyRecord, 'key'>

/** Options of one publication. */
export interface PublishOptions {
  lifetimeMs?: number
  ttlMs?: number
  signal?: AbortSignal
}

/** What a publisher is built from. */
export interface NamePublisherInit {
  keys: NameKeyStore
  /** Kept names: a published record is kept at once, so the name resolves here offline. */
  names: NameStore
  /** The routing endpoints records are handed to (each one enabled now). */
  endpoints: () => Promise<string[]>
  now?: () => number
}

/**
 * The names this node publishes: Ed25519 keys kept in IndexedDB (created here or imported in
 * the libp2p protobuf form Kubo's `ipfs key import/export` use), each published as a V1+V2
 * IPNS record — sequence one past the last this node has seen for the name, 48 h validity and
 * a 5 minute TTL by default — handed to every enabled routing endpoint (`PUT`). Records are
 * signed again and handed out again before half their validity is gone, while the app runs
 * (`republishDue`). Any endpoint that keeps records can take them; a home node that
 * republishes them on its own is one more endpoint.
 */
export class NamePublisher {
  private readonly init: NamePublisherInit
  private readonly now: () => number

  constructor (init: NamePublisherInit) {
    this.init = init
    this.now = init.now ?? Date.now
  }

  /** The keys held, oldest first. */
  async list (): Promise<NameKeyView[]> {
    return (await this.init.keys.list()).sort((a, b) => a.createdAt - b.createdAt).map(view)
  }

  /** Makes a new Ed25519 key: a new name. */
  async create (label: string): Promise<NameKeyView> {
    return this.keep(checkLabel(label), await generateKeyPair('Ed25519'))
  }

  /** Takes a key exported by `ipfs key export` (libp2p protobuf). Throws `InvalidNameKeyError`. */
  async import (label: string, protobuf: Uint8Array): Promise<NameKeyView> {
    let key: PrivateKey
    try {
      key = privateKeyFromProtobuf(protobuf)
    } catch (err) {
      throw new InvalidNameKeyError(`this is not a private key in the libp2p protobuf form that "ipfs key export" writes (${(err as Error).message})`)
    }
    return this.keep(checkLabel(label), key)
  }

  /** The private key in the libp2p protobuf form, for `ipfs key import` or another Cairn. */
  async export (id: string): Promise<Uint8Array> {
    return (await this.record(id)).key
  }

  async rename (id: string, label: string): Promise<NameKeyView> {
    const record = { ...await this.record(id), label: checkLabel(label) }
    await this.init.keys.put(record)
    return view(record)
  }

  /** Forgets a key. Whoever holds no copy of it can never publish this name again. */
  async delete (id: string): Promise<void> {
    await this.record(id)
    await this.init.keys.delete(id)
  }

  /**
   * Publishes `value` (a CID, an `/ipfs/` or an `/ipns/` path) under the key's name: signs a
   * record with the next sequence, keeps it, and hands it to every endpoint. Resolves with
   * where it was accepted and where not; it fails only when the value or key is bad.
   */
  async publish (id: string, value: string, options: PublishOptions = {}): Promise<NameKeyView> {
    const record = await this.record(id)
    const path = contentPath(value)
    const key = privateKeyFromProtobuf(record.key)
    const kept = await this.init.names.get(id)
    const last = [record.published?.sequence, kept?.sequence].filter(s => s !== undefined).map(s => BigInt(s as string))
    const sequence = last.length === 0 ? 0n : last.reduce((a, b) => a > b ? a : b) + 1n
    const lifetimeMs = options.lifetimeMs ?? DEFAULT_LIFETIME_MS
    const ttlMs = options.ttlMs ?? DEFAULT_PUBLISH_TTL_MS
    if (!(lifetimeMs > 0 && ttlMs > 0)) throw new InvalidNameValueError('the validity and the TTL must be positive')
    const signed = await createIPNSRecord(key, path, sequence, lifetimeMs, { ttlNs: BigInt(ttlMs) * 1_000_000n, v1Compatible: true })
    const bytes = marshalIPNSRecord(signed)
    const now = this.now()
    const validUntil = Date.parse(signed.validity)
    await this.init.names.put({ name: id, kind: 'ipns', value: path, record: bytes, sequence: sequence.toString(), validUntil, ttlMs, fetchedAt: now, source: 'this node' })
    const published: PublishedName = { value: path, sequence: sequence.toString(), validUntil, ttlMs, lifetimeMs, publishedAt: now, accepted: [], failed: [] }
    await Promise.all((await this.init.endpoints()).map(async url => {
      try {
        await putRoutingRecord(url, id, bytes, options.signal)
        published.accepted.push({ url, at: this.now() })
      } catch (err) {
        published.failed.push({ url, reason: (err as Error).message })
      }
    }))
    const updated = { ...record, published }
    await this.init.keys.put(updated)
    log('published %s → %s (sequence %s): accepted by %d, failed at %d', id, path, sequence, published.accepted.length, published.failed.length)
    return view(updated)
  }

  /**
   * Publishes again every name whose record is past half its validity (same value, next
   * sequence, new validity). Returns how many were. Run while the app runs.
   */
  async republishDue (): Promise<number> {
    let count = 0
    for (const record of await this.init.keys.list()) {
      const published = record.published
      if (published === undefined || this.now() < published.publishedAt + published.lifetimeMs / 2) continue
      await this.publish(record.id, published.value, { lifetimeMs: published.lifetimeMs, ttlMs: published.ttlMs }).catch(err => { log('republishing %s failed: %s', record.id, (err as Error).message) })
      count++
    }
    return count
  }

  private async keep (label: string, key: PrivateKey): Promise<NameKeyView> {
    const id = key.publicKey.toCID().toString(base36)
    if (await this.init.keys.get(id) !== undefined) throw new InvalidNameKeyError(`this key is here already (${id})`)
    const record: NameKeyRecord = { id, label, key: privateKeyToProtobuf(key), createdAt: this.now() }
    await this.init.keys.put(record)
    return view(record)
  }

  private async record (id: string): Promise<NameKeyRecord> {
    const record = await this.init.keys.get(parseName(id).name)
    if (record === undefined) throw new NameKeyNotFoundError(`no key for the name ${id} is kept here`)
    return record
  }
}

function view ({ key: _key, ...rest }: NameKeyRecord): NameKeyView {
  return rest
}

function checkLabel (label: string): string {
  const trimmed = label.trim()
  if (trimmed === '' || trimmed.length > MAX_LABEL) throw new InvalidNameKeyError(`a name's label has 1 to ${MAX_LABEL} characters`)
  return trimmed
}

/** A CID or a content path as the value of a record. Throws `InvalidNameValueError`. */
function contentPath (value: string): string {
  const text = value.trim()
  const [, namespace, first] = /^\/(ipfs|ipns)\/([^/]+)/.exec(text) ?? []
  try {
    if (namespace === 'ipfs') { CID.parse(first); return text }
    if (namespace === 'ipns') { parseName(first); return text }
    return `/ipfs/${CID.parse(text).toV1().toString()}`
  } catch {
    throw new InvalidNameValueError(`"${value}" is not a CID, an /ipfs/ path or an /ipns/ path`)
  }
}
