import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { MemoryBlockstore } from '../../../src/content/blockstore/memory-blockstore.ts'
import { handleGatewayRequest } from '../../../src/gateway/gateway.ts'

/** Protobuf bytes of one length-delimited field. */
function field (number: number, bytes: Uint8Array): Uint8Array {
  return new Uint8Array([(number << 3) | 2, bytes.length, ...bytes])
}

/**
 * A DAG-PB directory whose first entry's name is the given raw bytes (not valid UTF-8 — no
 * encoder of a string can write it, so the node is written field by field, as the DAG-PB spec
 * lays it out: Links (2) before Data (1)).
 */
async function directoryWithName (store: MemoryBlockstore, name: Uint8Array, other: string): Promise<{ dir: CID, files: CID[] }> {
  const files: CID[] = []
  for (const text of ['odd\n', 'plain\n']) {
    const bytes = new TextEncoder().encode(text)
    const cid = CID.createV1(raw.code, await sha256.digest(bytes))
    await store.put(cid, bytes)
    files.push(cid)
  }
  const link = (cid: CID, linkName: Uint8Array): Uint8Array => field(2, new Uint8Array([...field(1, cid.bytes), ...field(2, linkName), 0x18, 4]))
  const data = new UnixFS({ type: 'directory' }).marshal()
  const bytes = new Uint8Array([...link(files[0], name), ...link(files[1], new TextEncoder().encode(other)), ...field(1, data)])
  dagPb.decode(bytes) // a valid DAG-PB node (the reference decoder reads the name with U+FFFD)
  const dir = CID.createV1(dagPb.code, await sha256.digest(bytes))
  await store.put(dir, bytes)
  return { dir, files }
}

describe('a directory entry whose name is not valid UTF-8', () => {
  it('is listed with U+FFFD, reachable at that name, and leaves the rest of the directory working', async () => {
    const store = new MemoryBlockstore()
    const { dir } = await directoryWithName(store, new Uint8Array([0x61, 0xff, 0xfe, 0x62]), 'plain.txt')
    const get = async (path: string): Promise<Response> => handleGatewayRequest(new Request(`http://localhost/ipfs/${dir}${path}`, { headers: { Accept: 'text/html' } }), async cid => store.getBytes(cid))
    const listing = await get('/')
    expect(listing.status).toBe(200)
    const html = await listing.text()
    expect(html).toContain('a\uFFFD\uFFFDb')
    expect(html).toContain('plain.txt')
    const odd = await get(`/${encodeURIComponent('a\uFFFD\uFFFDb')}`)
    expect(odd.status).toBe(200)
    expect(await odd.text()).toBe('odd\n')
    expect(await (await get('/plain.txt')).text()).toBe('plain\n')
    const tar = await handleGatewayRequest(new Request(`http://localhost/ipfs/${dir}?format=tar`), async cid => store.getBytes(cid))
    expect(tar.status).toBe(200)
  })
})
