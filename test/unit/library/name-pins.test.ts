import * as dagCbor from '@ipld/dag-cbor'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { base36 } from 'multiformats/bases/base36'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterEach, describe, expect, it } from 'vitest'
import { memoryCairn, type MemoryCairn } from '../../support/memory-cairn.ts'
import { startRoutingServer, type RoutingServer } from '../../support/name-servers.ts'
import { createIPNSRecord, marshalIPNSRecord } from 'ipns'
import type { PrivateKey } from '@libp2p/interface'

/** A small DAG: a DAG-CBOR root linking three raw blocks (not stored). */
async function dag (label: string): Promise<{ root: CID, blocks: Array<{ cid: CID, bytes: Uint8Array }> }> {
  const leaves = await Promise.all([0, 1, 2].map(async i => {
    const bytes = new TextEncoder().encode(`${label} ${i}`)
    return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
  }))
  const bytes = dagCbor.encode({ label, leaves: leaves.map(l => l.cid) })
  const root = CID.createV1(dagCbor.code, await sha256.digest(bytes))
  return { root, blocks: [{ cid: root, bytes }, ...leaves] }
}

describe('pins that follow names', () => {
  let node: MemoryCairn | undefined
  let routing: RoutingServer | undefined
  afterEach(async () => { await node?.cairn.stop(); await routing?.stop() })

  it('pin what a name points at, and move only once the new version is completely stored', async () => {
    routing = await startRoutingServer()
    node = await memoryCairn({ exchange: { share: true, routers: [{ url: routing.url, enabled: true }], gateways: [] } })
    const { cairn, blockstore } = node
    const key: PrivateKey = await generateKeyPair('Ed25519')
    const name = key.publicKey.toCID().toString(base36)
    const publish = async (root: CID, sequence: number): Promise<void> => {
      routing?.records.set(name, marshalIPNSRecord(await createIPNSRecord(key, `/ipfs/${root}`, BigInt(sequence), 3_600_000, { ttlNs: 1_000_000n })))
    }
    const first = await dag('first')
    const second = await dag('second')
    for (const b of first.blocks) await blockstore.put(b.cid, b.bytes)
    await publish(first.root, 1)

    const pinned = await cairn.namePins.follow(name, 'my site')
    expect(pinned).toMatchObject({ cid: first.root.toString(), name: 'my site', origin: 'followed', follows: { name } })
    await cairn.namePins.settled()
    expect(await cairn.library.status(first.root)).toMatchObject({ complete: true })

    // The name moves to a version nobody can give yet: the old one stays pinned, the new one is pending.
    await publish(second.root, 2)
    await expect.poll(async () => {
      await cairn.namePins.check()
      return (await cairn.library.list())[0].follows?.pending
    }, { timeout: 30_000 }).toBe(second.root.toString())
    expect((await cairn.library.list()).map(p => p.cid)).toEqual([first.root.toString()])

    // Once it can be had, the pin moves, keeping its label and the name it follows.
    for (const b of second.blocks) await blockstore.put(b.cid, b.bytes)
    await cairn.namePins.check()
    const [moved] = await cairn.library.list()
    expect(moved).toMatchObject({ cid: second.root.toString(), name: 'my site', follows: { name } })
    expect(moved.follows?.pending).toBeUndefined()
    expect(await cairn.library.list()).toHaveLength(1)
  }, 60_000)
})
