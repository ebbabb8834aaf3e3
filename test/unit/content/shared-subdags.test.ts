import { CarReader } from '@ipld/car'
import * as dagCbor from '@ipld/dag-cbor'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterEach, describe, expect, it } from 'vitest'
import { resolvePath } from '../../../src/content/dag/resolve-path.ts'
import { parseIpfsPath } from '../../../src/content/dag/ipfs-path.ts'
import { fetchDag } from '../../../src/exchange/fetch-dag.ts'
import { handleGatewayRequest } from '../../../src/gateway/gateway.ts'
import { DEFAULT_SYNC_LIMITS, newSyncCounts, syncHistory } from '../../../src/rooms/history-sync.ts'
import { createEntry, type SignedEntry } from '../../../src/rooms/log-entry.ts'
import { RoomLog } from '../../../src/rooms/room-log.ts'
import { memoryCairn, type MemoryCairn } from '../../support/memory-cairn.ts'

// Every walk over a DAG, on DAGs that share sub-DAGs. A chain of 64 "diamonds" (a node linking
// two nodes that both link the next diamond's top) has 193 blocks and 2^64 paths: a walk that
// follows every path instead of every block never ends, which is what each test below would
// do (and time out). A new walk over a DAG belongs in this list.

const DIAMONDS = 64
const BLOCKS = 1 + 3 * DIAMONDS

interface Dag { root: CID, blocks: Array<{ cid: CID, bytes: Uint8Array }> }

/** A chain of `DIAMONDS` DAG-CBOR diamonds, bottom first. */
async function diamonds (): Promise<Dag> {
  const blocks: Dag['blocks'] = []
  const put = async (value: unknown): Promise<CID> => {
    const bytes = dagCbor.encode(value)
    const cid = CID.createV1(dagCbor.code, await sha256.digest(bytes))
    blocks.push({ cid, bytes })
    return cid
  }
  let top = await put({ end: true })
  for (let k = 0; k < DIAMONDS; k++) {
    const left = await put({ side: 'left', k, next: top })
    const right = await put({ side: 'right', k, next: top })
    top = await put({ k, left, right })
  }
  return { root: top, blocks }
}

/** A room history of `DIAMONDS` merges: two concurrent messages on every message, then one linking both. */
async function roomDiamonds (): Promise<{ head: CID, entries: SignedEntry[] }> {
  const key = await generateKeyPair('Ed25519')
  const author = peerIdFromPrivateKey(key).toString()
  const say = async (text: string, ts: number, prev: CID[]): Promise<SignedEntry> => createEntry({ room: 'lobby', nick: 'a', text, ts, prev }, key, author)
  let top = await say('start', 1, [])
  const entries = [top]
  for (let k = 0; k < DIAMONDS; k++) {
    const left = await say(`left ${k}`, 2 + 3 * k, [top.cid])
    const right = await say(`right ${k}`, 2 + 3 * k, [top.cid])
    top = await say(`merge ${k}`, 3 + 3 * k, [left.cid, right.cid])
    entries.push(left, right, top)
  }
  return { head: top.cid, entries }
}

/** The sections of a CAR response: the roots and every block's CID, in order. */
async function carOf (response: Response): Promise<{ roots: string[], cids: string[] }> {
  expect(response.status).toBe(200)
  const reader = await CarReader.fromBytes(new Uint8Array(await response.arrayBuffer()))
  const cids: string[] = []
  for await (const { cid } of reader.blocks()) cids.push(cid.toString())
  return { roots: (await reader.getRoots()).map(String), cids }
}

describe('every walk over a DAG visits a shared sub-DAG once (64 diamonds: 193 blocks, 2^64 paths)', () => {
  let node: MemoryCairn | undefined
  afterEach(async () => { await node?.cairn.stop(); node = undefined })

  const stored = async (dag: Dag): Promise<MemoryCairn> => {
    node = await memoryCairn()
    for (const { cid, bytes } of dag.blocks) await node.blockstore.put(cid, bytes)
    return node
  }
  const gateway = async ({ blockstore }: MemoryCairn, path: string): Promise<Response> =>
    handleGatewayRequest(new Request(`http://localhost${path}`), async cid => blockstore.getBytes(cid))

  it('CAR export (the gateway, "Download CAR", room history): dups=n gives each block once', async () => {
    const dag = await diamonds()
    const car = await carOf(await gateway(await stored(dag), `/ipfs/${dag.root}?format=car&dag-scope=all&car-dups=n`))
    expect(car.roots).toEqual([dag.root.toString()])
    expect(car.cids).toHaveLength(BLOCKS)
    expect(new Set(car.cids).size).toBe(BLOCKS)
    expect(car.cids[0]).toBe(dag.root.toString())
  })

  it('CAR export with dups=y refuses, before the first byte, a CAR that would repeat sub-DAGs past its bound', async () => {
    const dag = await diamonds()
    const response = await gateway(await stored(dag), `/ipfs/${dag.root}?format=car&dag-scope=all&car-dups=y`)
    expect(response.status).toBe(400)
    expect(await response.text()).toContain('dups=n')
  })

  it('CAR export with dups=y still repeats what a DAG repeats within its bound (one block linked 1000 times)', async () => {
    const bytes = new TextEncoder().encode('the same chunk')
    const leaf = CID.createV1(raw.code, await sha256.digest(bytes))
    const rootBytes = dagCbor.encode({ chunks: Array.from({ length: 1000 }, () => leaf) })
    const root = CID.createV1(dagCbor.code, await sha256.digest(rootBytes))
    const car = await carOf(await gateway(await stored({ root, blocks: [{ cid: root, bytes: rootBytes }, { cid: leaf, bytes }] }), `/ipfs/${root}?format=car&dag-scope=all&car-dups=y`))
    expect(car.cids).toHaveLength(1001)
  })

  it('fetch everything (dag.fetch) stores and counts each block once', async () => {
    const dag = await diamonds()
    const { cairn } = await stored(dag)
    expect(await fetchDag(cairn.blocks, dag.root)).toMatchObject({ complete: true, blocks: BLOCKS, known: BLOCKS, missing: 0 })
  })

  it('dag.stat, pin status and garbage collection mark each block once', async () => {
    const dag = await diamonds()
    const { cairn } = await stored(dag)
    expect(await cairn.library.stat(dag.root)).toMatchObject({ complete: true, blocks: BLOCKS })
    await cairn.library.pin(dag.root)
    expect(await cairn.library.status(dag.root)).toMatchObject({ complete: true, blocks: BLOCKS })
    expect(await cairn.library.gc()).toMatchObject({ keptBlocks: BLOCKS, removedBlocks: 0 })
  })

  it('the explorer resolves a path through every diamond', async () => {
    const dag = await diamonds()
    const { blockstore } = await stored(dag)
    const path = parseIpfsPath(`/ipfs/${dag.root}/${'left/next/'.repeat(DIAMONDS)}end`)
    const resolved = await resolvePath(path, async cid => blockstore.getBytes(cid))
    // The root, then one step per segment: 128 links and the field `end`.
    expect(resolved.steps).toHaveLength(2 * DIAMONDS + 2)
  })

  it('room history sync reads each entry once, and the history exports as a CAR of each entry once', async () => {
    const { head, entries } = await roomDiamonds()
    const byCid = new Map(entries.map(e => [e.cid.toString(), e.bytes]))
    let reads = 0
    const getBlock = async (cid: CID): Promise<Uint8Array> => {
      reads++
      const bytes = byCid.get(cid.toString())
      if (bytes === undefined) throw new Error(`no ${cid}`)
      return bytes
    }
    const log = new RoomLog()
    const added = await syncHistory('lobby', log, [head], getBlock, { ...DEFAULT_SYNC_LIMITS, now: () => 1000 }, newSyncCounts())
    expect(added).toHaveLength(BLOCKS)
    expect(reads).toBe(BLOCKS)
    expect(log.ordered().at(-1)?.cid.equals(head)).toBe(true)

    const car = await carOf(await gateway(await stored({ root: head, blocks: entries.map(e => ({ cid: e.cid, bytes: e.bytes })) }), `/ipfs/${head}?format=car`))
    expect(car.cids).toHaveLength(BLOCKS)
  })
})
