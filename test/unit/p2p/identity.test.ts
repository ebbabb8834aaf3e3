import { describe, expect, it } from 'vitest'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { loadOrCreateIdentity, MemoryIdentityStore } from '../../../src/p2p/identity.ts'

describe('the node identity', () => {
  it('is made once and then loaded: the same PeerId every start', async () => {
    const store = new MemoryIdentityStore()
    const first = await loadOrCreateIdentity(store)
    const again = await loadOrCreateIdentity(store)
    expect(peerIdFromPrivateKey(again).toString()).toBe(peerIdFromPrivateKey(first).toString())
    expect(first.type).toBe('Ed25519')
  })

  it('two starts at once agree on one key', async () => {
    const store = new MemoryIdentityStore()
    const [a, b] = await Promise.all([loadOrCreateIdentity(store), loadOrCreateIdentity(store)])
    expect(peerIdFromPrivateKey(a).toString()).toBe(peerIdFromPrivateKey(b).toString())
  })
})
