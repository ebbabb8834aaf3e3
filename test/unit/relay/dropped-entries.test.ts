import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { DroppedEntries } from '../../../src/relay/dropped-entries.ts'

async function cids (count: number, salt: string): Promise<CID[]> {
  return Promise.all(Array.from({ length: count }, async (_, i) => CID.createV1(raw.code, await sha256.digest(new TextEncoder().encode(`${salt} ${i}`)))))
}

describe('the drops an archive remembers', () => {
  it('remembers each room\'s newest drops and forgets its oldest past the room\'s share', async () => {
    const dropped = new DroppedEntries(5, 100)
    const lobby = await cids(8, 'lobby')
    const other = await cids(3, 'other')
    for (const cid of lobby) dropped.add('lobby', cid)
    for (const cid of other) dropped.add('other', cid)
    expect(lobby.map(cid => dropped.has(cid))).toEqual([false, false, false, true, true, true, true, true])
    expect(other.every(cid => dropped.has(cid))).toBe(true)
    expect(dropped.size).toBe(8)
    // The same entry dropped twice counts once.
    dropped.add('lobby', lobby[7])
    expect(dropped.size).toBe(8)
  })

  it('forgets the oldest of all rooms past the total', async () => {
    const dropped = new DroppedEntries(10, 6)
    const a = await cids(4, 'a')
    const b = await cids(4, 'b')
    for (let i = 0; i < 4; i++) {
      dropped.add('a', a[i])
      dropped.add('b', b[i])
    }
    // Added a0 b0 a1 b1 a2 b2 a3 b3: the first two went.
    expect(dropped.size).toBe(6)
    expect([a[0], b[0]].some(cid => dropped.has(cid))).toBe(false)
    expect([...a.slice(1), ...b.slice(1)].every(cid => dropped.has(cid))).toBe(true)
  })

  it('stays within its bounds over a long run, whatever the rooms', async () => {
    const dropped = new DroppedEntries(50, 400)
    const many = await cids(6000, 'long run')
    many.forEach((cid, i) => {
      dropped.add(`room-${i % 13}`, cid)
      expect(dropped.size).toBeLessThanOrEqual(400)
    })
    // Each of the 13 rooms keeps its newest 30 or so (400 in all): the last drops are all there.
    expect(many.slice(-300).every(cid => dropped.has(cid))).toBe(true)
    expect(many.slice(0, 5000).some(cid => dropped.has(cid))).toBe(false)
  })
})
