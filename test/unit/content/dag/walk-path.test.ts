import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CID } from 'multiformats/cid'
import { walkPath } from '../../../../src/content/dag/walk-path.ts'
import { resolvePath } from '../../../../src/content/dag/resolve-path.ts'
import { parseIpfsPath } from '../../../../src/content/dag/ipfs-path.ts'
import { readCar } from '../../../../src/content/car/car-reader.ts'
import { fixturesDir } from '../../../support/fixtures.ts'

/** Blocks of conformance CARs, read through Cairn's own reader. */
async function blocksOf (...cars: string[]): Promise<(cid: CID) => Promise<Uint8Array>> {
  const blocks = new Map<string, Uint8Array>()
  for (const car of cars) {
    const bytes = new Uint8Array(readFileSync(join(fixturesDir, 'gateway-conformance', 'fixtures', car)))
    for await (const event of readCar([bytes])) if (event.type === 'blocks') for (const b of event.blocks) blocks.set(b.cid.multihash.bytes.join(), b.bytes)
  }
  return async cid => {
    const bytes = blocks.get(cid.multihash.bytes.join())
    if (bytes === undefined) throw Object.assign(new Error(`${cid} missing`), { name: 'NotFoundError' })
    return bytes
  }
}

const HAMT = 'bafybeidbclfqleg2uojchspzd4bob56dqetqjsj27gy2cq3klkkgxtpn4i'
const CBOR = 'bafyreibs4utpgbn7uqegmd2goqz4bkyflre2ek2iwv743fhvylwi4zeeim'

describe('the one path resolver', () => {
  it('walks a HAMT-sharded directory by name, keeping the shards it passed', async () => {
    const read = await blocksOf('trustless_gateway_car/single-layer-hamt-with-multi-block-files.car')
    const walked = await walkPath(CID.parse(HAMT), ['470.txt'], read)
    expect(walked.roots.map(String)[0]).toBe(HAMT)
    expect(walked.roots).toHaveLength(2)
    expect(walked.remainder).toEqual([])
    expect(walked.traversed.map(b => b.cid.toString())).toContain(HAMT)
  })

  it('the explorer resolves through a HAMT too (it matched link names only before)', async () => {
    const read = await blocksOf('trustless_gateway_car/single-layer-hamt-with-multi-block-files.car')
    const node = await resolvePath(parseIpfsPath(`/ipfs/${HAMT}/470.txt`), read)
    expect(node.steps.map(s => s.segment)).toEqual(['', '470.txt'])
    expect(node.codec).toBe('dag-pb')
  })

  it('ends inside a node with the remainder, through DAG-CBOR links', async () => {
    const read = await blocksOf('path_gateway_dag/dag-cbor-traversal.car')
    const walked = await walkPath(CID.parse(CBOR), ['foo', 'link', 'bar'], read)
    expect(walked.roots).toHaveLength(3)
    const inside = await walkPath(CID.parse(CBOR), ['foo', 'link', 'bar', 'hello'], read)
    expect(inside.remainder).toEqual(['hello'])
  })

  it('names the missing segment; DAG-PB fields are walked only when asked', async () => {
    const read = await blocksOf('path_gateway_unixfs/dir-with-files.car')
    const dir = CID.parse('bafybeihchr7vmgjaasntayyatmp5sv6xza57iy2h4xj7g46bpjij6yhrmy')
    await expect(walkPath(dir, ['nope.txt'], read)).rejects.toMatchObject({ name: 'PathNotFoundError' })
    await expect(walkPath(dir, ['Links', '0', 'Hash'], read)).rejects.toMatchObject({ name: 'PathNotFoundError' })
    const byField = await walkPath(dir, ['Links', '0', 'Hash'], read, { pbFields: true })
    expect(byField.block.cid.toString()).toBe('bafkreifkam6ns4aoolg3wedr4uzrs3kvq66p4pecirz6y2vlrngla62mxm')
  })
})
