import * as dagCbor from '@ipld/dag-cbor'
import { gossipsub, type GossipSub } from '@libp2p/gossipsub'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { identify } from '@libp2p/identify'
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import { noise } from '@libp2p/noise'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import type { Relay } from '../../../src/relay/relay.ts'
import { createEntry } from '../../../src/rooms/log-entry.ts'
import { eventually, lobby } from '../../support/p2p.ts'

/**
 * A bare libp2p peer that reaches the relay only (no discovery, no rooms): whatever it
 * publishes can reach members only if the relay forwards it.
 */
async function outsider (relay: Relay, privateKey: PrivateKey): Promise<Libp2p<{ pubsub: GossipSub }>> {
  const node = await createLibp2p({
    privateKey,
    transports: [webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: { denyDialMultiaddr: async () => false },
    services: { identify: identify(), pubsub: gossipsub({ globalSignaturePolicy: 'StrictSign', allowPublishToZeroTopicPeers: true }) }
  })
  await node.dial(multiaddr(relay.multiaddrs[0]))
  return node
}

describe('the relay forwards only room messages members would accept', () => {
  const bed = lobby()
  afterEach(bed.stopAll)

  it('refuses an entry signed by a key that is not its author\'s and one whose text changed after signing; no member receives either', async () => {
    const relay = await bed.relay()
    const alice = await bed.peer(relay, 'alice')
    const key = await generateKeyPair('Ed25519')
    const mallory = await outsider(relay, key)
    const malloryId = peerIdFromPrivateKey(key).toString()
    try {
      await eventually(() => mallory.services.pubsub.getSubscribers('lobby').some(p => p.equals(relay.node.peerId)), 'mallory to see the relay in the room')
      const say = async (text: string, author: string): Promise<Uint8Array> =>
        (await createEntry({ room: 'lobby', nick: 'mallory', text, ts: Date.now(), prev: [] }, key, author)).bytes
      // Signed by mallory's key but claiming alice wrote it (sent by mallory or not, the key is wrong).
      await mallory.services.pubsub.publish('lobby', await say('I am alice', alice.node.peerId.toString()))
      // Mallory's own entry, its text changed after signing.
      const changed = dagCbor.decode<Record<string, unknown>>(await say('a fair offer', malloryId))
      await mallory.services.pubsub.publish('lobby', dagCbor.encode({ ...changed, text: 'send me your keys' }))
      // Then a true one: once alice has it, the two before had their chance to arrive.
      await mallory.services.pubsub.publish('lobby', await say('hello, truly', malloryId))
      await eventually(() => alice.events.some(e => e.type === 'room.message' && e.detail.text === 'hello, truly'), 'alice to get the true message')

      const seen = alice.events.flatMap(e => e.type === 'room.message' ? [e.detail.text] : [])
      expect(seen).not.toContain('I am alice')
      expect(seen).not.toContain('send me your keys')
      // Alice's node never even had to refuse them: the relay did.
      expect(alice.rooms.drops()).toMatchObject({ spoofed: 0, malformed: 0 })
      expect(relay.dropped).toMatchObject({ spoofed: 2, malformed: 0 })
    } finally {
      await mallory.stop()
    }
  }, 60_000)
})
