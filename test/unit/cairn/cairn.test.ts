import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createCairn, type Cairn } from '../../../src/cairn/cairn.ts'
import { MemoryBlockstore } from '../../../src/content/blockstore/memory-blockstore.ts'
import { memoryStoreLock } from '../../../src/content/blockstore/store-lock.ts'
import { MemoryImportLog } from '../../../src/content/imports/import-log.ts'
import { MemoryIdentityStore } from '../../../src/p2p/identity.ts'
import type { NetworkEvent } from '../../../src/p2p/network-service.ts'
import { MemorySettingsStore } from '../../../src/lib/settings-store.ts'
import { MemoryCacheIndexStore } from '../../../src/library/cache-index.ts'
import { MemoryPinStore } from '../../../src/library/pins.ts'
import { MemoryNameStore } from '../../../src/names/name-store.ts'
import { MemoryNameKeyStore } from '../../../src/names/name-keys.ts'
import { MemoryRoomStore } from '../../../src/rooms/room-store.ts'
import { fixturesDir } from '../../support/fixtures.ts'
import { MemoryRemotePinStore } from '../../../src/remote/keep-online.ts'

const nodes: Cairn[] = []
afterEach(async () => {
  while (nodes.length > 0) await nodes.pop()?.stop()
})

/** A node on memory twins of every store, with no relays. */
function memoryCairn (events: NetworkEvent[] = []): { cairn: Cairn, identity: MemoryIdentityStore } {
  const identity = new MemoryIdentityStore()
  const cairn = createCairn({
    effectiveSettings: async settings => ({ relays: settings.relays ?? [], allowLocalAddresses: true, iceServers: [] }),
    emit: event => events.push(event),
    webrtcHosts: () => 0
  }, {
    blockstore: new MemoryBlockstore(),
    imports: new MemoryImportLog(),
    lock: memoryStoreLock(),
    identity,
    settings: new MemorySettingsStore(),
    exchangeSettings: new MemorySettingsStore(),
    rooms: new MemoryRoomStore(),
    pins: new MemoryPinStore(),
    cache: new MemoryCacheIndexStore(),
    names: new MemoryNameStore(),
    nameKeys: new MemoryNameKeyStore(),
    librarySettings: new MemorySettingsStore(),
    remotePins: new MemoryRemotePinStore(),
    remoteSettings: new MemorySettingsStore()
  })
  nodes.push(cairn)
  return { cairn, identity }
}

describe('createCairn (the composition root, on memory twins)', () => {
  it('imports a CAR and serves its content through blocks and the DAG API, without starting the network', async () => {
    const events: NetworkEvent[] = []
    const { cairn } = memoryCairn(events)
    await cairn.start()
    const car = new Uint8Array(readFileSync(join(fixturesDir, 'gateway-conformance', 'fixtures', 'path_gateway_dag', 'dag-cbor-traversal.car')))
    const summary = await cairn.cars.import([car], { name: 'traversal.car' })
    expect(summary.blocks).toBe(3)
    expect((await cairn.cars.list()).map(r => r.name)).toEqual(['traversal.car'])
    const node = await cairn.content.dagGet(`/ipfs/${summary.roots[0]}/foo/link/bar`)
    expect(node.json).toBe('{"hello":"this is not a link"}')
    expect(await cairn.blocks.has((await import('multiformats/cid')).CID.parse(summary.roots[0]))).toBe(true)
    expect(events).toEqual([])
    // The import pinned its root under the file's name, so a collection keeps it all.
    expect((await cairn.library.list()).map(p => ({ cid: p.cid, name: p.name, origin: p.origin, type: p.type })))
      .toEqual([{ cid: summary.roots[0], name: 'traversal.car', origin: 'imported', type: 'recursive' }])
    const unpinned = await cairn.content.dagPut({ json: '{"not":"pinned"}' })
    const gc = await cairn.library.gc()
    expect(gc).toMatchObject({ removedBlocks: 1, keptBlocks: 3 })
    expect(await cairn.blocks.has((await import('multiformats/cid')).CID.parse(unpinned.cid))).toBe(false)
  })

  it('adds files and folders: pinned as "added", readable through the DAG API, not in the CAR list', async () => {
    const { cairn } = memoryCairn([])
    await cairn.start()
    const text = (s: string): Blob => new Blob([s])
    const summary = await cairn.files.add([{ path: 'site/index.html', file: text('<h1>hi</h1>') }, { path: 'site/empty' }], { name: 'my site', profile: 'unixfs-v0-2015' })
    expect(summary).toMatchObject({ files: 1, folders: 2, wrapped: false, profile: 'unixfs-v0-2015' })
    expect(summary.root).toMatch(/^Qm/)
    expect(await cairn.content.dagGet(`/ipfs/${summary.root}/index.html`)).toMatchObject({ codec: 'dag-pb', remainder: [] })
    expect((await cairn.library.list()).map(p => ({ cid: p.cid, name: p.name, origin: p.origin })))
      .toEqual([{ cid: (await import('multiformats/cid')).CID.parse(summary.root).toV1().toString(), name: 'my site', origin: 'added' }])
    expect(await cairn.cars.list()).toEqual([])
    expect(await cairn.library.gc()).toMatchObject({ removedBlocks: 0 })
  })

  it('starts the network on first use with a kept identity, and reports its status', async () => {
    const events: NetworkEvent[] = []
    const { cairn, identity } = memoryCairn(events)
    const status = await cairn.network.status()
    expect(status.state).toBe('no-relay')
    expect(status.peerId).toBeTypeOf('string')
    expect(await identity.load()).toBeDefined()
    expect(events.map(e => e.type)).toContain('node.status')
    const again = await cairn.network.restart()
    expect(again.status().peerId).toBe(status.peerId)
  })
})
