import { createRequire } from 'node:module'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { afterEach, describe, expect, it } from 'vitest'
import { MemorySettingsStore } from '../../../src/lib/settings-store.ts'
import { KeepOnline, MemoryRemotePinStore } from '../../../src/remote/keep-online.ts'
import type { RemoteSettings } from '../../../src/remote/services.ts'
import { bytesOf } from '../../support/bytes.ts'
import { startHelia } from '../../support/exchange-peers.ts'
import { removeHome, startTestHome } from '../../support/home-node.ts'
import { eventually } from '../../support/p2p.ts'

/** The independent Pinning Service API implementation on npm (an in-memory express app). */
interface MockService {
  listen: (port: number, host: string, done: () => void) => Server
  locals: { state: { pins: Map<string, { requestid: string, status: string }> } }
}
const { setup } = createRequire(import.meta.url)('mock-ipfs-pinning-service') as { setup: (options: { token: string }) => Promise<MockService> }

const CID_A = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'

describe('Keep online: Cairn\'s Pinning Service API client', () => {
  const running: Array<() => Promise<void>> = []
  afterEach(async () => { await Promise.all(running.splice(0).map(async stop => stop())) })

  async function mock (token: string): Promise<{ url: string, service: MockService }> {
    const service = await setup({ token })
    const server = await new Promise<Server>(resolve => { const s = service.listen(0, '127.0.0.1', () => resolve(s)) })
    running.push(async () => { await new Promise(resolve => server.close(resolve)) })
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, service }
  }

  function keeper (settings: RemoteSettings, options: { origins?: string[], bundled?: { endpoint: string, token: string } } = {}): { keep: KeepOnline, connected: string[][] } {
    const store = new MemorySettingsStore<RemoteSettings>()
    void store.save(settings)
    const connected: string[][] = []
    const keep = new KeepOnline({
      settings: store,
      store: new MemoryRemotePinStore(),
      bundled: async () => options.bundled,
      origins: async () => options.origins ?? [],
      connect: async delegates => { connected.push(delegates) }
    })
    return { keep, connected }
  }

  it('works with an independent implementation (mock-ipfs-pinning-service): test, keep, follow the status, forget', async () => {
    const { url, service } = await mock('s3cret')
    const { keep, connected } = keeper({ services: [{ id: 'm', name: 'Mock', endpoint: url, token: 's3cret' }], keepNew: [] })
    expect(await keep.test('m')).toEqual({ count: 0 })
    await expect(keep.test({ endpoint: url, token: 'wrong' })).rejects.toThrow(/401|UNAUTHORIZED|Unauthorized/i)

    const record = await keep.keep(CID_A, 'photo.jpg', ['m'])
    expect(record.services.m).toMatchObject({ state: 'queued', requestid: 'req-1' })
    // It connects to the service's delegates so the service can fetch from this node.
    expect(connected[0]).toHaveLength(4)
    expect([...service.locals.state.pins.values()].map(p => p.status)).toEqual(['queued'])

    // The service finishes: the next check sees it.
    const state = service.locals.state
    service.locals.state = { ...state, pins: new Map([...state.pins].map(([cid, pin]) => [cid, { ...pin, status: 'pinned' }])) }
    const [checked] = await keep.check()
    expect(checked.services.m.state).toBe('pinned')
    expect(await keep.status(CID_A)).toMatchObject({ name: 'photo.jpg', services: { m: { state: 'pinned' } } })

    expect(await keep.forget(CID_A)).toBeUndefined()
    expect(service.locals.state.pins.size).toBe(0)
    expect(await keep.status(CID_A)).toBeUndefined()
  })

  it('records a refusal with the service\'s reason, and a service it cannot reach as unsent, sent again on the next check', async () => {
    const { url } = await mock('right')
    const { keep } = keeper({ services: [{ id: 'bad', name: 'Wrong token', endpoint: url, token: 'wrong' }, { id: 'gone', name: 'Offline', endpoint: 'http://127.0.0.1:9', token: 't' }], keepNew: [] })
    const record = await keep.keep(CID_A, 'x', ['bad', 'gone'])
    expect(record.services.bad.state).toBe('refused')
    expect(record.services.bad.details).toMatch(/401|unauthori/i)
    expect(record.services.gone.state).toBe('unsent')
    expect(record.services.gone.details).toMatch(/cannot be reached/)
    const [again] = await keep.check(CID_A)
    expect(again.services.gone.state).toBe('unsent')
    // A refused one is asked again only when the user retries.
    expect(again.services.bad.checkedAt).toBe(record.services.bad.checkedAt)
  })

  it('keeps new adds online on the chosen services only', async () => {
    const { url, service } = await mock('t')
    const { keep } = keeper({ services: [{ id: 'm', name: 'Mock', endpoint: url, token: 't' }], keepNew: ['m'] })
    await keep.keepNew(CID_A, 'new folder')
    expect(service.locals.state.pins.size).toBe(1)
    const { keep: off } = keeper({ services: [{ id: 'm', name: 'Mock', endpoint: url, token: 't' }], keepNew: [] })
    await off.keepNew('bafkreidq3yyo5py6ljeyrtswz5vlv5z6cja6gvrr3se44z3pb3s6af4k6q', 'other')
    expect(service.locals.state.pins.size).toBe(1)
  })

  it('lists the bundled home node first, and keeps a pin on it until it is pinned', async () => {
    const home = await startTestHome()
    running.push(async () => { await home.stop(); await removeHome(home.dir) })
    const source = await startHelia()
    running.push(source.stop)
    const root = await source.fs.addBytes(bytesOf(200 * 1024, 3), { rawLeaves: true, cidVersion: 1, chunker: fixedSize({ chunkSize: 64 * 1024 }) })
    const { secret } = await home.home.tokens.add('app')
    const { keep, connected } = keeper({ services: [], keepNew: [] }, { origins: source.multiaddrs.map(String), bundled: { endpoint: home.url, token: secret } })
    expect(await keep.services()).toEqual([{ id: 'bundled', name: 'Home node (the relay that served this app)', endpoint: home.url, bundled: true }])
    await keep.keep(root.toString(), 'movie', ['bundled'])
    expect(connected[0]).toEqual(home.relay.multiaddrs)
    await eventually(async () => (await keep.check(root.toString()))[0].services.bundled.state === 'pinned', 'the home node to pin it')
    expect((await keep.status(root.toString()))?.services.bundled.details).toBe('5 blocks kept')
  })
})
