import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it } from 'vitest'
import { createCairnLibp2p, type CairnLibp2p } from '../../../src/p2p/create-libp2p.ts'
import { encodeRoomMessage, type RoomMessage } from '../../../src/rooms/message.ts'
import type { Relay } from '../../../src/relay/relay.ts'
import { eventually, testPeer, testRelay, texts, type TestPeer } from '../../support/p2p.ts'

/**
 * A hostile peer against a real node: it reaches the victim over an (unlimited) relayed
 * connection, so nothing in between filters what it sends.
 */
describe('rooms refuse bad input from a real peer, and count it', () => {
  const running: Array<{ stop: () => Promise<void> }> = []
  afterEach(async () => { await Promise.all(running.splice(0).reverse().map(async r => r.stop())) })

  async function setup (options: { signed?: boolean } = {}): Promise<{ relay: Relay, alice: TestPeer, mallory: CairnLibp2p }> {
    const relay = await testRelay({ relayedDurationMs: 0, relayedDataBytes: 0, messagesPerSecond: 10_000 })
    running.push(relay)
    const alice = await testPeer(relay, { messagesPerSecond: 5 })
    running.push(alice)
    await alice.rooms.join('lobby')
    const mallory = await createCairnLibp2p({
      privateKey: await generateKeyPair('Ed25519'),
      allowLocalAddresses: true,
      iceServers: [],
      gossipsub: options.signed === false ? { globalSignaturePolicy: 'StrictNoSign' } : {}
    })
    await mallory.start()
    running.push({ stop: async () => { await mallory.stop() } })
    await mallory.dial(multiaddr(`${relay.multiaddrs[0]}/p2p-circuit/p2p/${alice.node.peerId.toString()}`))
    mallory.services.pubsub.subscribe('lobby')
    await eventually(() => mallory.services.pubsub.getSubscribers('lobby').some(p => p.equals(alice.node.peerId)), 'mallory to see alice in the room')
    return { relay, alice, mallory }
  }

  function message (author: string, text: string): RoomMessage {
    return { v: 1, kind: 'message', room: 'lobby', author, nick: 'mallory', text, timestamp: Date.now() }
  }

  it('drops malformed, oversized and spoofed messages and keeps serving', async () => {
    const { alice, mallory } = await setup()
    const me = mallory.peerId.toString()
    await mallory.services.pubsub.publish('lobby', new TextEncoder().encode('not cbor at all'))
    await mallory.services.pubsub.publish('lobby', encodeRoomMessage({ ...message(me, 'x'), room: 'elsewhere' }))
    await mallory.services.pubsub.publish('lobby', new Uint8Array(100 * 1024).fill(0xa1))
    await mallory.services.pubsub.publish('lobby', encodeRoomMessage(message(alice.node.peerId.toString(), 'I am alice')))
    await eventually(() => {
      const d = alice.rooms.drops()
      return d.malformed === 2 && d.oversized === 1 && d.spoofed === 1
    }, `drops to be counted (now ${JSON.stringify(alice.rooms.drops())})`)
    // Nothing of it reached the room, and an honest message still does.
    await mallory.services.pubsub.publish('lobby', encodeRoomMessage(message(me, 'an honest line')))
    await eventually(() => texts(alice, 'lobby').includes('an honest line'), 'the honest message')
    expect(texts(alice, 'lobby')).toEqual(['an honest line'])
  })

  it('drops unsigned messages (gossipsub refuses them; the room counts them)', async () => {
    const { alice, mallory } = await setup({ signed: false })
    await mallory.services.pubsub.publish('lobby', encodeRoomMessage(message(mallory.peerId.toString(), 'unsigned')))
    await eventually(() => alice.rooms.drops().unsigned >= 1, 'the unsigned message to be counted')
    expect(texts(alice, 'lobby')).toEqual([])
  })

  it('rate limits a flooding peer without stopping the room', async () => {
    const { alice, mallory } = await setup()
    const me = mallory.peerId.toString()
    for (let i = 0; i < 300; i++) await mallory.services.pubsub.publish('lobby', encodeRoomMessage(message(me, `flood ${i}`)))
    await eventually(() => alice.rooms.drops().flooding > 0, 'flooding to be counted')
    await eventually(() => texts(alice, 'lobby').length + alice.rooms.drops().flooding >= 300, 'every flood message to be accounted for', 20_000)
    // The burst (4 s at 5 per second) got through; the rest was dropped, not queued.
    expect(texts(alice, 'lobby').length).toBeLessThanOrEqual(40)
    expect(alice.rooms.drops().flooding).toBeGreaterThanOrEqual(260)
    expect(alice.node.status).toBe('started')
  })
})
