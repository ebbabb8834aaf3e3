import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import type { IDBPDatabase } from 'idb'
import type { CairnSchema, P2pRecords } from '../node/database.ts'

/**
 * The node's private key: made once (Ed25519) and kept in IndexedDB, so the PeerId stays
 * the same across Service Worker restarts, reloads and app updates. Two workers starting
 * at once agree: the key is written only if none is stored, in one transaction.
 */
export async function loadOrCreateIdentity (db: IDBPDatabase<CairnSchema>): Promise<PrivateKey> {
  const stored = await db.get('p2p', 'identity') as P2pRecords['identity'] | undefined
  if (stored !== undefined) return privateKeyFromProtobuf(stored.privateKey)
  const fresh = await generateKeyPair('Ed25519')
  const tx = db.transaction('p2p', 'readwrite')
  const raced = await tx.store.get('identity') as P2pRecords['identity'] | undefined
  if (raced === undefined) await tx.store.put({ privateKey: privateKeyToProtobuf(fresh), createdAt: Date.now() }, 'identity')
  await tx.done
  return raced === undefined ? fresh : privateKeyFromProtobuf(raced.privateKey)
}
