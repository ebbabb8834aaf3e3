import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'

/** The node's private key as stored: protobuf-encoded, made once. */
export interface IdentityRecord {
  privateKey: Uint8Array
  createdAt: number
}

/** Where the identity is kept: IndexedDB in the app (`storage/`), memory in tests. */
export interface IdentityStore {
  load(): Promise<IdentityRecord | undefined>
  /** Stores `record` unless one is there already; returns the one that is kept. */
  keepFirst(record: IdentityRecord): Promise<IdentityRecord>
}

/** Keeps the identity in memory: for tests and Node.js peers. */
export class MemoryIdentityStore implements IdentityStore {
  private record: IdentityRecord | undefined
  async load (): Promise<IdentityRecord | undefined> { return this.record }
  async keepFirst (record: IdentityRecord): Promise<IdentityRecord> {
    this.record ??= record
    return this.record
  }
}

/**
 * The node's private key: made once (Ed25519) and kept, so the PeerId stays the same across
 * Service Worker restarts, reloads and app updates. Two workers starting at once agree: the
 * store keeps whichever key was written first.
 */
export async function loadOrCreateIdentity (store: IdentityStore): Promise<PrivateKey> {
  const stored = await store.load()
  if (stored !== undefined) return privateKeyFromProtobuf(stored.privateKey)
  const fresh = await generateKeyPair('Ed25519')
  const kept = await store.keepFirst({ privateKey: privateKeyToProtobuf(fresh), createdAt: Date.now() })
  return privateKeyFromProtobuf(kept.privateKey)
}
