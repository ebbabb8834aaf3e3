import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CarReader } from '@ipld/car'
import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import { importer } from 'ipfs-unixfs-importer'
import { extract } from 'it-tar'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { MemoryBlockstore } from '../../../src/content/blockstore/memory-blockstore.ts'
import { handleGatewayRequest } from '../../../src/gateway/gateway.ts'
import { fixturesDir } from '../../support/fixtures.ts'
import { bytesOf } from '../../support/bytes.ts'

const TAR_FIXTURES = join(fixturesDir, 'gateway-conformance', 'fixtures', 'path_gateway_tar')

async function storeCar (store: MemoryBlockstore, file: string): Promise<CID> {
  const reader = await CarReader.fromBytes(readFileSync(join(TAR_FIXTURES, file)))
  for await (const { cid, bytes } of reader.blocks()) await store.put(cid, bytes)
  return (await reader.getRoots())[0]
}

/** The archive at `path`, read back with a TAR reader (`it-tar`): each entry's type, and a file's bytes. */
async function untar (store: MemoryBlockstore, path: string): Promise<Map<string, { type: string, bytes?: Uint8Array, linkname?: string }>> {
  const response = await handleGatewayRequest(new Request(`http://localhost${path}`), async cid => store.getBytes(cid))
  expect(response.status).toBe(200)
  const tar = new Uint8Array(await response.arrayBuffer())
  const entries = new Map<string, { type: string, bytes?: Uint8Array, linkname?: string }>()
  for await (const entry of extract()([tar])) {
    const chunks: Uint8Array[] = []
    for await (const chunk of entry.body) chunks.push(chunk.subarray())
    const bytes = chunks.length === 0 ? undefined : new Uint8Array(Buffer.concat(chunks))
    entries.set(entry.header.name, { type: entry.header.type ?? '', ...(bytes === undefined ? {} : { bytes }), ...(entry.header.linkname === undefined ? {} : { linkname: entry.header.linkname }) })
  }
  return entries
}

describe('TAR responses (?format=tar)', () => {
  it('give the conformance tree with its UTF-8 names and every file\'s bytes', async () => {
    const store = new MemoryBlockstore()
    const root = await storeCar(store, 'fixtures.car')
    const entries = await untar(store, `/ipfs/${root}?format=tar`)
    expect(entries.get(`${root}`)?.type).toBe('directory')
    expect(new TextDecoder().decode(entries.get(`${root}/ą/ę/file-źł.txt`)?.bytes)).toBe('I am a txt file on path with utf8\n')
    expect(new TextDecoder().decode(entries.get(`${root}/ipns/file.txt`)?.bytes)).toBe('I am a txt file in confusing /ipns dir\n')
    const sub = await untar(store, `/ipfs/${root}/api?format=tar`)
    expect([...sub.keys()]).toEqual(['api', 'api/file.txt'])
  })

  it('give a HAMT-sharded folder with a multi-block file, byte for byte', async () => {
    const store = new MemoryBlockstore()
    const files = Array.from({ length: 40 }, (_, i) => ({ path: `dir/file-${i}.bin`, content: bytesOf(i === 7 ? 3 * 1024 * 1024 + 11 : 100 + i * 37, i + 1) }))
    let root: CID | undefined
    for await (const entry of importer(files.map(f => ({ path: f.path, content: f.content })), store as never, { cidVersion: 1, rawLeaves: true, shardSplitThresholdBytes: 256 })) {
      if (entry.path === 'dir') root = entry.cid
    }
    const top = dagPb.decode(await store.getBytes(root as CID))
    expect(UnixFS.unmarshal(top.Data as Uint8Array).type).toBe('hamt-sharded-directory')
    const entries = await untar(store, `/ipfs/${root}?format=tar`)
    for (const f of files) expect(entries.get(`${root}/${f.path.slice('dir/'.length)}`)?.bytes, f.path).toEqual(f.content)
    expect(entries.size).toBe(files.length + 1)
  })

  it('keep a ../ name that stays inside the root (normalised), and refuse, before the first byte, one that escapes it or a symlink that does', async () => {
    const store = new MemoryBlockstore()
    const inside = await storeCar(store, 'inside-root.car')
    const entries = await untar(store, `/ipfs/${inside}?format=tar`)
    expect(new TextDecoder().decode(entries.get(`${inside}/foobar/file`)?.bytes)).toBe('Hello, world!\n')
    const outside = await storeCar(store, 'outside-root.car')
    const refused = await handleGatewayRequest(new Request(`http://localhost/ipfs/${outside}?format=tar`), async cid => store.getBytes(cid))
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain('outside')

    const link = dagPb.encode({ Data: new UnixFS({ type: 'symlink', data: new TextEncoder().encode('../../etc/passwd') }).marshal(), Links: [] })
    const linkCid = CID.createV1(dagPb.code, await sha256.digest(link))
    await store.put(linkCid, link)
    const dir = dagPb.encode(dagPb.prepare({ Data: new UnixFS({ type: 'directory' }).marshal(), Links: [{ Name: 'innocent', Hash: linkCid, Tsize: link.length }] }))
    const dirCid = CID.createV1(dagPb.code, await sha256.digest(dir))
    await store.put(dirCid, dir)
    expect((await handleGatewayRequest(new Request(`http://localhost/ipfs/${dirCid}?format=tar`), async cid => store.getBytes(cid))).status).toBe(400)
  })
})
