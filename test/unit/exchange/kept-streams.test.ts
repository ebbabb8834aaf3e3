import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { createLibp2p, type Libp2p } from 'libp2p'
import { afterEach, describe, expect, it } from 'vitest'
import { KeptStreams } from '../../../src/exchange/kept-streams.ts'

const PROTOCOL = '/cairn-test/messages/1.0.0'
const stops: Array<() => Promise<void>> = []
afterEach(async () => {
  while (stops.length > 0) await stops.pop()?.()
})

async function node (): Promise<Libp2p> {
  const started = await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0/ws'] },
    transports: [webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: { denyDialMultiaddr: async () => false },
    services: { identify: identify() }
  })
  stops.push(async () => { await started.stop() })
  return started
}

/** A listener that counts the streams it is opened and the bytes each carried. */
async function listener (): Promise<{ node: Libp2p, streams: number[] }> {
  const listening = await node()
  const streams: number[] = []
  await listening.handle(PROTOCOL, async stream => {
    const at = streams.push(0) - 1
    for await (const chunk of stream) streams[at] += chunk.byteLength
  })
  return { node: listening, streams }
}

async function until (condition: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

/** Sends one message as `@helia/bitswap`'s network does: dial, closeRead, send, close. */
async function sendOne (libp2p: Libp2p, to: Libp2p, bytes: number): Promise<void> {
  const stream = await libp2p.dialProtocol(to.peerId, PROTOCOL)
  await stream.closeRead()
  if (!stream.send(new Uint8Array(bytes))) await stream.onDrain()
  await stream.close()
}

describe('KeptStreams (one stream per peer for independent messages)', () => {
  it('sends messages to a peer on one stream, closes it once idle, and dials again after that or after an abort', async () => {
    const sender = await node()
    const receiver = await listener()
    await sender.dial(receiver.node.getMultiaddrs()[0])
    const kept = new KeptStreams(PROTOCOL, 300)
    const libp2p = kept.libp2pFor(sender)

    await Promise.all([sendOne(libp2p, receiver.node, 10), sendOne(libp2p, receiver.node, 20)])
    await sendOne(libp2p, receiver.node, 30)
    await until(() => receiver.streams[0] === 60)
    expect(receiver.streams).toEqual([60])
    expect(kept.size()).toBe(1)

    // Idle for longer than 300 ms: closed; the next message opens another stream.
    await until(() => kept.size() === 0)
    await sendOne(libp2p, receiver.node, 5)
    await until(() => receiver.streams.length === 2 && receiver.streams[1] === 5)

    // An aborted message ends its stream; the next one dials anew.
    const failing = await libp2p.dialProtocol(receiver.node.peerId, PROTOCOL)
    failing.abort(new Error('the message could not be sent'))
    expect(kept.size()).toBe(0)
    await sendOne(libp2p, receiver.node, 7)
    await until(() => receiver.streams.at(-1) === 7)
    expect(receiver.streams.length).toBe(3)

    // Other protocols and calls go to libp2p as they are.
    expect(libp2p.peerId.equals(sender.peerId)).toBe(true)
    await kept.closeAll()
    expect(kept.size()).toBe(0)
  })
})
