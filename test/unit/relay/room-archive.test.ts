import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CID } from 'multiformats/cid'
import { afterEach, describe, expect, it } from 'vitest'
import { parseRelayArgs } from '../../../src/relay/options.ts'
import { encodePresence } from '../../../src/rooms/presence.ts'
import type { Relay } from '../../../src/relay/relay.ts'
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from '../../../src/relay/room-archive.ts'
import { eventually, lobby } from '../../support/p2p.ts'

describe('the relay\'s room archive', () => {
  const bed = lobby()
  const { peer, texts } = bed
  afterEach(bed.stopAll)
  const relay = async (archive: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<Relay> => bed.relay(archive)

  it('keeps a room\'s history when every member has left, and gives it to the next one in order', async () => {
    const r = await relay()
    const alice = await peer(r, 'alice')
    const bob = await peer(r, 'bob')
    await eventually(() => alice.rooms.memberList('lobby').some(m => m.nick === 'bob'), 'alice and bob to meet')
    for (let i = 0; i < 6; i++) await (i % 2 === 0 ? alice : bob).rooms.send('lobby', `line ${i}`)
    await eventually(() => r.archive?.history('lobby').length === 6, 'the archive to hold the conversation')
    const expected = await texts(alice)
    await alice.stop()
    await bob.stop()

    const dave = await peer(r, 'dave')
    await eventually(async () => (await texts(dave)).length === 6, 'dave to get the history from the archive', 30_000)
    expect(await texts(dave)).toEqual(expected)
    expect(dave.rooms.memberList('lobby').map(m => m.nick)).toContain('archive')
  }, 60_000)

  it('with a folder, keeps the history across a relay restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cairn-archive-'))
    const first = await relay({ ...DEFAULT_ARCHIVE_LIMITS, dir })
    const alice = await peer(first, 'alice')
    for (let i = 0; i < 4; i++) await alice.rooms.send('lobby', `kept ${i}`)
    await eventually(() => first.archive?.history('lobby').length === 4, 'the archive to hold the messages')
    await alice.stop()
    await first.stop()

    const second = await relay({ ...DEFAULT_ARCHIVE_LIMITS, dir })
    expect(second.archive?.history('lobby').map(s => s.entry.text)).toEqual(['kept 0', 'kept 1', 'kept 2', 'kept 3'])
    const dave = await peer(second, 'dave')
    await eventually(async () => (await texts(dave)).length === 4, 'dave to get the history from the restarted archive', 30_000)
  }, 60_000)

  it('drops the oldest entries past its byte cap per room', async () => {
    const r = await relay({ roomBytes: 2048, totalBytes: 1024 * 1024 })
    const alice = await peer(r, 'alice')
    await eventually(() => r.node.services.pubsub.getTopics().includes('lobby'), 'the relay to forward the room')
    for (let i = 0; i < 12; i++) await alice.rooms.send('lobby', `message number ${i} ${'x'.repeat(200)}`)
    await eventually(() => (r.archive?.counts.archived ?? 0) === 12, 'the archive to see every message')
    const kept = r.archive?.history('lobby') ?? []
    expect(r.archive?.bytes).toBeLessThanOrEqual(2048)
    expect(kept.length).toBeLessThan(12)
    expect(kept.at(-1)?.entry.text).toMatch(/^message number 11 /)
    expect(r.archive?.counts.dropped).toBe(12 - kept.length)
    // A member whose heads are entries the archive dropped (a stale member) announces them:
    // the archive must not fetch them back (at its cap it once did, at every presence, from
    // every member, until Bitswap and the chat stalled).
    const first = (await alice.rooms.history('lobby'))[0]
    const stale = encodePresence({ v: 2, kind: 'here', room: 'lobby', author: alice.node.peerId.toString(), nick: 'alice', ts: Date.now(), heads: [CID.parse(first.cid ?? '')] })
    for (let i = 0; i < 3; i++) {
      await alice.node.services.pubsub.publish('lobby', stale)
      await new Promise(resolve => setTimeout(resolve, 700))
    }
    expect(r.archive?.counts.archived).toBe(12)
    expect(r.archive?.history('lobby').length).toBe(kept.length)
  }, 60_000)

  it('is off unless asked for, and its sizes are flags', () => {
    expect(parseRelayArgs([])).not.toHaveProperty('archive')
    expect(parseRelayArgs(['--archive-rooms'])).toMatchObject({ archive: DEFAULT_ARCHIVE_LIMITS })
    expect(parseRelayArgs(['--archive-rooms', '--archive-room-bytes', '65536'])).toMatchObject({ archive: { roomBytes: 65536 } })
    expect(parseRelayArgs(['--archive-rooms', '--archive-dir', 'somewhere'])).toMatchObject({ archive: { dir: 'somewhere' } })
    expect(() => parseRelayArgs(['--archive-room-bytes', '65536'])).toThrow('need --archive-rooms')
    expect(() => parseRelayArgs(['--archive-dir', 'x'])).toThrow('need --archive-rooms')
  })
})
