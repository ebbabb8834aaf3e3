import { afterEach, describe, expect, it } from 'vitest'
import { eventually, lobby, testPeer, testRelay } from '../../support/p2p.ts'

/**
 * Room history between real Node.js peers through the bundled relay: entries are blocks,
 * heads travel in presence messages, and a late joiner fetches the rest over Bitswap. The
 * relay here does not limit relayed connections, so Bitswap may use them.
 */
describe('room history between Node.js peers', () => {
  const { relay, peer, texts, stopAll } = lobby()
  afterEach(stopAll)

  it('a late joiner sees the whole conversation in order, and a concurrent burst ends in one order everywhere', async () => {
    const r = await relay()
    const alice = await peer(r, 'alice')
    const bob = await peer(r, 'bob')
    await eventually(() => alice.rooms.memberList('lobby').length === 2 && bob.rooms.memberList('lobby').length === 2, 'alice and bob to meet')
    const lines: string[] = []
    for (let i = 0; i < 10; i++) {
      const who = i % 2 === 0 ? alice : bob
      const line = `line ${i} from ${i % 2 === 0 ? 'alice' : 'bob'}`
      await who.rooms.send('lobby', line)
      lines.push(line)
      await eventually(async () => (await texts(alice)).includes(line) && (await texts(bob)).includes(line), `${line} to arrive`)
    }
    expect(await texts(alice)).toEqual(lines)
    expect(await texts(bob)).toEqual(lines)

    // A concurrent burst: both send without waiting for each other.
    await Promise.all([
      (async () => { for (let i = 0; i < 5; i++) await alice.rooms.send('lobby', `burst a${i}`) })(),
      (async () => { for (let i = 0; i < 5; i++) await bob.rooms.send('lobby', `burst b${i}`) })()
    ])
    await eventually(async () => (await texts(alice)).length === 20 && (await texts(bob)).length === 20, 'the burst to arrive everywhere')
    expect(await texts(bob)).toEqual(await texts(alice))
    expect(alice.rooms.heads('lobby')).toEqual(bob.rooms.heads('lobby'))

    // Carol was not there: she gets it all from the heads in their presence, over Bitswap.
    const carol = await peer(r, 'carol')
    await eventually(async () => (await texts(carol)).length === 20, 'carol to fetch the history', 30_000)
    expect(await texts(carol)).toEqual(await texts(alice))
    expect((await carol.rooms.history('lobby'))[0]).toMatchObject({ v: 2, nick: 'alice', mine: false })
    expect(carol.rooms.drops().history).toMatchObject({ unavailable: 0, signature: 0, malformed: 0 })

    // Her next message links the heads: everyone ends on it.
    await carol.rooms.send('lobby', 'hello, I read everything')
    await eventually(async () => (await texts(alice)).at(-1) === 'hello, I read everything', 'carol\'s line at alice')
    expect(alice.rooms.heads('lobby')).toEqual(carol.rooms.heads('lobby'))
    expect(alice.rooms.heads('lobby')).toHaveLength(1)
  }, 90_000)
})

describe('the history limit setting', () => {
  it('bounds what a room syncs and shows, and refuses values out of range', async () => {
    const r = await testRelay({ relayedDurationMs: 0, relayedDataBytes: 0, messagesPerSecond: 10_000 })
    const alice = await testPeer(r, { presenceIntervalMs: 500, messagesPerSecond: 1000 })
    const bob = await testPeer(r, { presenceIntervalMs: 500, messagesPerSecond: 1000 })
    try {
      await alice.rooms.join('lobby')
      for (let i = 0; i < 30; i++) await alice.rooms.send('lobby', `m${i}`)
      await bob.rooms.setHistoryLimit(10)
      await expect(bob.rooms.setHistoryLimit(5)).rejects.toThrow('from 10 to 10000')
      await bob.rooms.join('lobby')
      await eventually(async () => (await bob.rooms.history('lobby')).length === 10, 'bob to sync the last 10')
      expect((await bob.rooms.history('lobby')).map(m => m.text)).toEqual(Array.from({ length: 10 }, (_, i) => `m${20 + i}`))
      await eventually(() => bob.rooms.drops().history.truncated > 0, 'the sync to stop at the limit')
    } finally {
      await bob.stop()
      await alice.stop()
      await r.stop()
    }
  }, 60_000)
})
