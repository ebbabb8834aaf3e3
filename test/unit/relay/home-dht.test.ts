import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { createIPNSRecord, marshalIPNSRecord, multihashToIPNSRoutingKey } from 'ipns'
import { putRoutingRecord } from '../../../src/names/routing-records.ts'
import type { KadDHT } from '@libp2p/kad-dht'
import type { Libp2p } from '@libp2p/interface'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { afterEach, describe, expect, it } from 'vitest'
import type { PinStatusBody } from '../../../src/relay/home/pin-service.ts'
import { bytesOf } from '../../support/bytes.ts'
import { startTestDht } from '../../support/dht.ts'
import { startHelia } from '../../support/exchange-peers.ts'
import { pinApi, pinSettles, removeHome, startTestHome } from '../../support/home-node.ts'

/**
 * The home node in a Kademlia DHT (`--dht`): a local DHT of Node.js peers on loopback; the
 * relay joins it, announces what it pins (a Helia node that never connected to the relay
 * finds it there and fetches the content, with the author gone) and puts the IPNS records it
 * keeps there.
 */
describe('the home node announces what it keeps to a DHT', () => {
  const running: Array<() => Promise<void>> = []
  afterEach(async () => { await Promise.all(running.splice(0).reverse().map(async stop => stop())) })

  it('a Helia node that never met the relay finds it through the DHT and fetches the file', async () => {
    const dht = await startTestDht(4)
    running.push(dht.stop)
    const home = await startTestHome({ dht: { bootstrap: [dht.bootstrap], lan: true } })
    running.push(async () => { await home.stop(); await removeHome(home.dir) })

    const author = await startHelia()
    const content = bytesOf(600 * 1024, 12)
    const root = await author.fs.addBytes(content, { rawLeaves: true, cidVersion: 1, chunker: fixedSize({ chunkSize: 128 * 1024 }) })
    const { secret } = await home.home.tokens.add('laptop')
    const asked = await pinApi<PinStatusBody>(`${home.url}/pins`, secret, 'POST', { cid: root.toString(), origins: author.multiaddrs.map(String) })
    await pinSettles(home, secret, asked.body.requestid, 'pinned')
    await home.home.announcer?.settled()
    expect(home.home.announcer?.counts).toEqual({ announced: 1, failed: 0 })
    await author.stop()

    const reader = await startHelia({ dht: true })
    running.push(reader.stop)
    const libp2p = reader.helia.libp2p as unknown as Libp2p<{ dht: KadDHT }>
    // Joined through another DHT peer, not the relay.
    await libp2p.dial(dht.peers[2].getMultiaddrs()[0])
    expect(libp2p.getConnections().some(c => c.remotePeer.toString() === home.relay.peerId)).toBe(false)
    const started = Date.now()
    let found: { id: string, multiaddrs: string[] } | undefined
    for await (const provider of libp2p.contentRouting.findProviders(root, { signal: AbortSignal.timeout(20_000) })) {
      found = { id: provider.id.toString(), multiaddrs: provider.multiaddrs.map(String) }
      break
    }
    expect(found?.id).toBe(home.relay.peerId)
    expect(Date.now() - started).toBeLessThan(10_000)
    await libp2p.dial(multiaddr(`${found?.multiaddrs[0] ?? ''}/p2p/${found?.id ?? ''}`))
    const chunks: Uint8Array[] = []
    for await (const chunk of reader.fs.cat(root, { signal: AbortSignal.timeout(20_000) })) chunks.push(chunk)
    expect(new Uint8Array(Buffer.concat(chunks))).toEqual(content)
  })

  it('puts the IPNS records it is given into the DHT, where a node that never met it reads them', async () => {
    const dht = await startTestDht(4)
    running.push(dht.stop)
    const home = await startTestHome({ dht: { bootstrap: [dht.bootstrap], lan: true } })
    running.push(async () => { await home.stop(); await removeHome(home.dir) })
    const key = await generateKeyPair('Ed25519')
    const peerId = peerIdFromPrivateKey(key)
    const record = marshalIPNSRecord(await createIPNSRecord(key, '/ipfs/bafkqaddwgevxmmraojswg33smq', 3n, 24 * 3600_000))
    await putRoutingRecord(home.url, peerId.toCID().toString(), record)
    await home.home.republisher?.settled()
    expect(home.home.republisher?.counts).toEqual({ put: 1, failed: 0 })

    const reader = await startHelia({ dht: true })
    running.push(reader.stop)
    const libp2p = reader.helia.libp2p as unknown as Libp2p
    await libp2p.dial(dht.peers[3].getMultiaddrs()[0])
    const found = await libp2p.contentRouting.get(multihashToIPNSRoutingKey(peerId.toMultihash()), { signal: AbortSignal.timeout(20_000) })
    expect(found).toEqual(record)
  })
})
