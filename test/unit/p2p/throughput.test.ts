import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it } from 'vitest'
import { eventually, testPeer, testRelay, type TestPeer } from '../../support/p2p.ts'
import { MAX_THROUGHPUT_BYTES, THROUGHPUT_PROTOCOL, ThroughputError, measureThroughput, serveThroughputTests } from '../../../src/p2p/throughput.ts'
import type { RelayLimits } from '../../../src/relay/limits.ts'

describe('the throughput test between two Node.js peers through the relay', () => {
  const running: Array<{ stop: () => Promise<void> }> = []
  afterEach(async () => {
    await Promise.all(running.splice(0).reverse().map(async r => r.stop()))
  })

  /** Two peers, `a` connected to `b` through a relay with these limits. */
  async function pair (limits: Partial<RelayLimits>): Promise<{ a: TestPeer, b: TestPeer }> {
    const relay = await testRelay(limits)
    running.push(relay)
    const a = await testPeer(relay)
    const b = await testPeer(relay)
    running.push(a, b)
    await eventually(() => b.node.getMultiaddrs().some(ma => ma.toString().includes('/p2p-circuit')), 'a relay reservation')
    const circuit = b.node.getMultiaddrs().find(ma => ma.toString().includes('/p2p-circuit'))
    await a.node.dial(multiaddr(circuit?.toString() ?? ''))
    return { a, b }
  }

  it('sends the bytes, has them counted by the peer and reports the rate and the connection', async () => {
    const { a, b } = await pair({ relayedDurationMs: 0, relayedDataBytes: 0 })
    const progress: number[] = []
    const bytes = 4 * 1024 * 1024 + 123
    const result = await measureThroughput(a.node, b.node.peerId, bytes, { onProgress: sent => progress.push(sent) })
    expect(result.bytes).toBe(bytes)
    expect(result.ms).toBeGreaterThan(0)
    expect(result.bytesPerSecond).toBeCloseTo(bytes / (result.ms / 1000))
    expect(result.remoteAddr).toContain('/p2p-circuit')
    expect(progress.length).toBeGreaterThanOrEqual(4)
    expect(progress).toEqual([...progress].sort((x, y) => x - y))
  })

  it('refuses to run on a limited relayed connection, with a message that says why', async () => {
    const { a, b } = await pair({})
    await expect(measureThroughput(a.node, b.node.peerId, 1024)).rejects.toThrow(expect.objectContaining({ name: 'ThroughputError' }))
  })

  it('refuses byte counts it cannot send, before opening a stream', async () => {
    const { a, b } = await pair({ relayedDurationMs: 0, relayedDataBytes: 0 })
    for (const bytes of [0, -1, 1.5, Number.NaN, MAX_THROUGHPUT_BYTES + 1]) {
      await expect(measureThroughput(a.node, b.node.peerId, bytes)).rejects.toBeInstanceOf(ThroughputError)
    }
    expect(a.node.getConnections(b.node.peerId).flatMap(c => c.streams).filter(s => s.protocol === THROUGHPUT_PROTOCOL)).toEqual([])
  })

  it('fails cleanly when the listener resets a test that sends more than it accepts, and serves the next', async () => {
    const { a, b } = await pair({ relayedDurationMs: 0, relayedDataBytes: 0 })
    await b.node.unhandle(THROUGHPUT_PROTOCOL)
    await serveThroughputTests(b.node, 1024 * 1024)
    await expect(measureThroughput(a.node, b.node.peerId, 3 * 1024 * 1024)).rejects.toBeInstanceOf(ThroughputError)
    expect((await measureThroughput(a.node, b.node.peerId, 512 * 1024)).bytes).toBe(512 * 1024)
  })

  it('says which peer it could not reach', async () => {
    const { a } = await pair({ relayedDurationMs: 0, relayedDataBytes: 0 })
    const stranger = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    await expect(measureThroughput(a.node, stranger, 1024, { signal: AbortSignal.timeout(3000) })).rejects.toThrow(new RegExp(`could not open a throughput test with ${stranger.toString()}`))
  })
})
