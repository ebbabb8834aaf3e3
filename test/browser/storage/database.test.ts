import { IdbRecordStore } from '../../../src/storage/idb-record-store.ts'
import { afterEach, describe, expect, it } from 'vitest'
import { deleteDB, openDB } from 'idb'
import { DATABASE_VERSION, openCairnDatabase } from '../../../src/storage/database.ts'
import { IdbIdentityStore } from '../../../src/storage/idb-identity-store.ts'
import { IdbRoomStore } from '../../../src/storage/idb-room-store.ts'
import { IdbSettingsStore } from '../../../src/storage/idb-settings-store.ts'
import { IdbBlockstore } from '../../../src/storage/idb-blockstore.ts'

const names: string[] = []
afterEach(async () => {
  while (names.length > 0) await deleteDB(names.pop() as string)
})
const fresh = (): string => {
  const name = `cairn-db-${Date.now()}-${Math.random()}`
  names.push(name)
  return name
}

/** A database as version 3 of the app left it: the network's records in one `p2p` store. */
async function versionThree (name: string): Promise<void> {
  const db = await openDB(name, 3, {
    upgrade (db) {
      db.createObjectStore('blocks')
      db.createObjectStore('totals')
      db.createObjectStore('imports', { keyPath: 'id' })
      db.createObjectStore('journal').createIndex('byImport', 'importId')
      db.createObjectStore('p2p')
      db.createObjectStore('messages', { autoIncrement: true }).createIndex('byRoom', ['room', 'receivedAt'])
    }
  })
  await db.put('p2p', { privateKey: new Uint8Array([1, 2, 3]), createdAt: 42 }, 'identity')
  await db.put('p2p', { relays: ['/dns4/relay.example/tcp/443/wss/p2p/12D3KooWExample'], allowLocalAddresses: false, iceServers: [] }, 'settings')
  await db.put('p2p', { rooms: ['lobby'], nick: 'ada' }, 'rooms')
  await db.put('blocks', { cid: new Uint8Array([9]), bytes: new Uint8Array([7]) }, new Uint8Array([1, 2]))
  db.close()
}

describe("Cairn's IndexedDB schema", () => {
  it('a new database gets every store of the current version', async () => {
    const db = await openCairnDatabase(fresh())
    expect(db.version).toBe(DATABASE_VERSION)
    expect([...db.objectStoreNames].sort()).toEqual(['blocks', 'cache', 'identity', 'importMarks', 'imports', 'keys', 'names', 'pins', 'remote', 'rooms', 'settings', 'totals'])
    db.close()
  })

  it('a version-10 database keeps an interrupted import\'s marks, so it is still rolled back', async () => {
    const name = fresh()
    const v10 = await openDB(name, 10, {
      upgrade (db) {
        db.createObjectStore('blocks')
        db.createObjectStore('totals')
        db.createObjectStore('journal').createIndex('byImport', 'importId')
      }
    })
    const [k1, k2, k3] = [[1, 1], [2, 2], [3, 3]].map(k => new Uint8Array(k))
    for (const key of [k1, k2, k3]) await v10.put('blocks', { cid: key, bytes: new Uint8Array([9]) }, key)
    await v10.put('totals', { blocks: 3, bytes: 3 }, 'blocks')
    await v10.put('journal', { importId: 'cut' }, k1)
    await v10.put('journal', { importId: 'cut' }, k2)
    v10.close()
    const db = await openCairnDatabase(name)
    expect([...db.objectStoreNames]).not.toContain('journal')
    const store = new IdbBlockstore(db)
    while (await store.rollBackImport('cut') > 0) { /* next batch */ }
    expect((await db.getAllKeys('blocks')).map(k => [...new Uint8Array(k as unknown as ArrayBuffer)])).toEqual([[3, 3]])
    expect(await store.stat()).toEqual({ blocks: 1, bytes: 1 })
    expect(await db.count('importMarks')).toBe(0)
    db.close()
  })

  it('keeps where pins are kept online, by pin, and the pinning services in the settings; a version-9 database gains the store and keeps its pins', async () => {
    const name = fresh()
    const v9 = await openDB(name, 9, { upgrade (db) { db.createObjectStore('pins', { keyPath: 'cid' }); db.createObjectStore('settings') } })
    await v9.put('pins', { cid: 'bafkqaaa', type: 'recursive', name: 'kept', origin: 'added', pinnedAt: 1 })
    v9.close()
    const db = await openCairnDatabase(name)
    expect(await db.get('pins', 'bafkqaaa')).toMatchObject({ name: 'kept' })
    const remote = new IdbRecordStore(db, 'remote')
    await remote.put({ cid: 'bafkqaaa', name: 'kept', services: { bundled: { state: 'pinned', requestid: 'r1', checkedAt: 5 } } })
    expect(await remote.get('bafkqaaa')).toEqual({ cid: 'bafkqaaa', name: 'kept', services: { bundled: { state: 'pinned', requestid: 'r1', checkedAt: 5 } } })
    const settings = new IdbSettingsStore(db, 'remote')
    await settings.save({ services: [{ id: 's', name: 'S', endpoint: 'https://pins.example', token: 't' }], keepNew: ['s'] })
    expect(await settings.load()).toEqual({ services: [{ id: 's', name: 'S', endpoint: 'https://pins.example', token: 't' }], keepNew: ['s'] })
    db.close()
  })

  it('keeps names (what a name pointed at, with its signed record) and name keys, by name', async () => {
    const db = await openCairnDatabase(fresh())
    const names = new IdbRecordStore(db, 'names')
    const record = new Uint8Array([1, 2, 3])
    await names.put({ name: 'k51abc', kind: 'ipns', value: '/ipfs/bafkqaddwgevxmmraojswg33smq', record, sequence: '7', validUntil: 2, ttlMs: 3, fetchedAt: 4, source: 'https://router.example' })
    expect(await names.get('k51abc')).toMatchObject({ value: '/ipfs/bafkqaddwgevxmmraojswg33smq', record, sequence: '7' })
    const keys = new IdbRecordStore(db, 'keys')
    await keys.put({ id: 'k51abc', label: 'mine', key: new Uint8Array([9]), createdAt: 1 })
    expect((await keys.list()).map(k => k.label)).toEqual(['mine'])
    await keys.delete('k51abc')
    expect(await keys.list()).toEqual([])
    db.close()
  })

  it('a version-3 database is migrated: identity, settings and rooms move to their own stores, blocks stay', async () => {
    const name = fresh()
    await versionThree(name)
    const db = await openCairnDatabase(name)
    expect([...db.objectStoreNames]).not.toContain('p2p')
    // Version 8 dropped the old live-only messages: the history is blocks now.
    expect([...db.objectStoreNames]).not.toContain('messages')
    expect(await new IdbIdentityStore(db).load()).toEqual({ privateKey: new Uint8Array([1, 2, 3]), createdAt: 42 })
    expect(await new IdbSettingsStore(db, 'network').load()).toEqual({ relays: ['/dns4/relay.example/tcp/443/wss/p2p/12D3KooWExample'], allowLocalAddresses: false, iceServers: [] })
    expect(await new IdbRoomStore(db).load()).toEqual({ rooms: ['lobby'], nick: 'ada' })
    expect(await db.get('blocks', new Uint8Array([1, 2]) as Uint8Array<ArrayBuffer>)).toEqual({ cid: new Uint8Array([9]), bytes: new Uint8Array([7]) })
    db.close()
  })

  it('the room store keeps the rooms, their history heads, the history limit and the nickname', async () => {
    const db = await openCairnDatabase(fresh())
    const store = new IdbRoomStore(db)
    const state = { rooms: ['lobby', 'café'], nick: 'ada', heads: { lobby: ['bafyreia', 'bafyreib'], 'café': [] }, historyLimit: 50 }
    await store.save(state)
    expect(await store.load()).toEqual(state)
    db.close()
  })

  it('the identity store keeps the first key written', async () => {
    const db = await openCairnDatabase(fresh())
    const store = new IdbIdentityStore(db)
    const first = await store.keepFirst({ privateKey: new Uint8Array([1]), createdAt: 1 })
    const second = await store.keepFirst({ privateKey: new Uint8Array([2]), createdAt: 2 })
    expect(second).toEqual(first)
    db.close()
  })
})
