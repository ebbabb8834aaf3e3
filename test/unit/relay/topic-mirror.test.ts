import { generateKeyPair } from '@libp2p/crypto/keys'
import { gossipsub, type GossipSub, type Message } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import { noise } from '@libp2p/noise'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { createLibp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { TopicMirror } from '../../../src/relay/topic-mirror.ts'
import { createEntry } from '../../../src/rooms/log-entry.ts'
import { eventually } from '../../support/p2p.ts'

async function gossipNode (privateKey: PrivateKey, listen: string[] = []): Promise<Libp2p<{ pubsub: GossipSub }>> {
  return createLibp2p({
    privateKey,
    addresses: { listen },
    transports: [webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: { denyDialMultiaddr: async () => false },
    services: { identify: identify(), pubsub: gossipsub({ globalSignaturePolicy: 'StrictSign', allowPublishToZeroTopicPeers: true }) }
  })
}

describe('the relay\'s topic mirror', () => {
  const nodes: Array<Libp2p<{ pubsub: GossipSub }>> = []
  afterEach(async () => { await Promise.all(nodes.splice(0).map(async n => n.stop())) })

  it('hands the verdict it reached on a message to the node\'s message listeners (the archive reads it once)', async () => {
    const hub = await gossipNode(await generateKeyPair('Ed25519'), ['/ip4/127.0.0.1/tcp/0/ws'])
    const key = await generateKeyPair('Ed25519')
    const member = await gossipNode(key)
    nodes.push(hub, member)
    const mirror = new TopicMirror(hub.services.pubsub, { maxTopics: 8, messagesPerSecond: 50, log: () => {} })
    const heard: Array<{ message: Message, verdict: ReturnType<TopicMirror['verdictOf']> }> = []
    hub.services.pubsub.addEventListener('message', event => { heard.push({ message: event.detail, verdict: mirror.verdictOf(event.detail) }) })

    await member.dial(hub.getMultiaddrs()[0])
    member.services.pubsub.subscribe('lobby')
    await eventually(() => member.services.pubsub.getSubscribers('lobby').some(p => p.equals(hub.peerId)), 'the hub to join the room')
    const author = peerIdFromPrivateKey(key).toString()
    const signed = await createEntry({ room: 'lobby', nick: 'member', text: 'read me once', ts: Date.now(), prev: [] }, key, author)
    await member.services.pubsub.publish('lobby', signed.bytes)
    await eventually(() => heard.length === 1, 'the hub to deliver the message')

    const { verdict } = heard[0]
    expect(verdict?.ok).toBe(true)
    if (verdict?.ok !== true || verdict.decoded.type !== 'entry') throw new Error('not an entry verdict')
    expect(verdict.decoded.signed.cid.equals(signed.cid)).toBe(true)
    expect(verdict.decoded.signed.entry.text).toBe('read me once')
    // A message it did not judge has no verdict.
    expect(mirror.verdictOf({ ...heard[0].message })).toBeUndefined()
  })
})
