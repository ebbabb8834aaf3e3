import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { dagJsonToDagCbor } from '../../../src/hotpath/index.ts'
import { DEFAULT_SYNC_LIMITS, newSyncCounts, syncHistory } from '../../../src/rooms/history-sync.ts'
import { createEntry, MAX_PREV, readEntry, type SignedEntry } from '../../../src/rooms/log-entry.ts'
import { buildHistoryIndex, readHistoryIndex } from '../../../src/rooms/history-index.ts'
import { RoomLog } from '../../../src/rooms/room-log.ts'
import type { LiveMessage } from '../../../src/rooms/room-service.ts'
import type { StoredMessage } from '../../../src/rooms/room-store.ts'
import { placeMessage } from '../../../src/ui/live-messages.ts'
import { picker as random } from '../../fuzz/rng.ts'

interface Author { key: PrivateKey, id: string }

async function author (): Promise<Author> {
  const key = await generateKeyPair('Ed25519')
  return { key, id: peerIdFromPrivateKey(key).toString() }
}

async function entry (who: Author, text: string, ts: number, prev: CID[] = [], room = 'lobby'): Promise<SignedEntry> {
  return createEntry({ room, nick: `nick-${who.id.slice(-4)}`, text, ts, prev }, who.key, who.id)
}

describe('room history entries', () => {
  it('round-trip: signed by the author, read back with its CID', async () => {
    const alice = await author()
    const first = await entry(alice, 'hello', 1000)
    const second = await entry(alice, 'again', 2000, [first.cid])
    const read = await readEntry(second.bytes)
    expect(read.cid.equals(second.cid)).toBe(true)
    expect(read.entry).toMatchObject({ v: 2, room: 'lobby', author: alice.id, text: 'again', ts: 2000 })
    expect(read.entry.prev.map(String)).toEqual([first.cid.toString()])
  })

  it('refuses a forged author, a changed text, too many heads, extra fields, oversize and non-entries, each with its reason', async () => {
    const alice = await author()
    const mallory = await author()
    const forged = await createEntry({ room: 'lobby', nick: 'alice', text: 'I am alice', ts: 1, prev: [] }, mallory.key, alice.id)
    await expect(readEntry(forged.bytes)).rejects.toMatchObject({ problem: 'signature' })
    const honest = await entry(alice, 'original', 1)
    const changed = dagJsonToDagCbor(new TextDecoder().decode(new TextEncoder().encode(JSON.stringify({
      author: honest.entry.author, nick: honest.entry.nick, prev: [], room: 'lobby', sig: { '/': { bytes: Buffer.from(honest.entry.sig).toString('base64').replace(/=+$/, '') } }, text: 'changed', ts: 1, v: 2
    }))))
    await expect(readEntry(changed)).rejects.toMatchObject({ problem: 'signature' })
    const heads = await Promise.all(Array.from({ length: MAX_PREV + 1 }, async (_, i) => (await entry(alice, `h${i}`, i)).cid))
    await expect(createEntry({ room: 'lobby', nick: 'a', text: 't', ts: 1, prev: heads }, alice.key, alice.id)).rejects.toMatchObject({ problem: 'too-many-heads' })
    await expect(readEntry(dagJsonToDagCbor('{"v":2,"room":"lobby","author":"x","nick":"n","text":"t","ts":1,"prev":[],"sig":{"/":{"bytes":"AA"}},"extra":1}'))).rejects.toMatchObject({ problem: 'malformed' })
    await expect(readEntry(dagJsonToDagCbor('{"v":1,"kind":"message"}'))).rejects.toMatchObject({ problem: 'malformed' })
    await expect(readEntry(new Uint8Array(65 * 1024))).rejects.toMatchObject({ problem: 'oversized' })
    await expect(readEntry(new Uint8Array([0xff]))).rejects.toMatchObject({ problem: 'malformed' })
  })
})

describe('the room log (a Merkle clock)', () => {
  /** A random history: three authors writing, each linking the heads they had seen. */
  async function randomHistory (seed: number, count: number): Promise<SignedEntry[]> {
    const pick = random(seed)
    const authors = await Promise.all([author(), author(), author()])
    const views = authors.map(() => new RoomLog())
    const all: SignedEntry[] = []
    for (let i = 0; i < count; i++) {
      const who = pick(3)
      // Sometimes an author first hears of some of what others wrote.
      for (const known of all) if (pick(3) === 0) views[who].add(known)
      const written = await entry(authors[who], `m${i}`, 1000 + pick(50), views[who].heads())
      views[who].add(written)
      all.push(written)
    }
    return all
  }

  it('any delivery order gives the same history, causal and tie-broken by timestamp then CID', async () => {
    for (let seed = 1; seed <= 10; seed++) {
      const all = await randomHistory(seed * 7919, 40)
      const orders = new Set<string>()
      const headsSeen = new Set<string>()
      for (let round = 0; round < 20; round++) {
        const pick = random(seed * 31 + round + 1)
        const shuffled = [...all]
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = pick(i + 1)
          ;[shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]]
        }
        const log = new RoomLog()
        for (const signed of shuffled) log.add(signed)
        const ordered = log.ordered()
        orders.add(ordered.map(s => s.cid.toString()).join())
        headsSeen.add(log.heads().map(String).join())
        const position = new Map(ordered.map((s, i) => [s.cid.toString(), i]))
        for (const signed of ordered) {
          for (const prev of signed.entry.prev) expect(position.get(prev.toString()) as number).toBeLessThan(position.get(signed.cid.toString()) as number)
        }
      }
      expect(orders.size, `seed ${seed}`).toBe(1)
      expect(headsSeen.size).toBe(1)
    }
  }, 60_000)

  it('an arriving entry placed where insert says (as the room view places it) gives, at every moment, the order the whole history gives', async () => {
    const shownAs = (signed: SignedEntry): StoredMessage => ({ id: signed.cid.toString() }) as unknown as StoredMessage
    let moves = 0
    for (let seed = 1; seed <= 10; seed++) {
      const all = await randomHistory(seed * 104_729, 30)
      for (let round = 0; round < 4; round++) {
        const pick = random(seed * 17 + round)
        const shuffled = [...all]
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = pick(i + 1)
          ;[shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]]
        }
        const log = new RoomLog()
        const arrived: SignedEntry[] = []
        let shown: StoredMessage[] = []
        for (const signed of shuffled) {
          const placed = log.insert(signed)
          arrived.push(signed)
          const message: LiveMessage = { ...shownAs(signed), heads: [], ...(placed.next === undefined ? {} : { before: placed.next.toString() }) }
          // A move (a gap filled) makes the view read the whole history again.
          const next = placed.moved ? undefined : placeMessage(shown, message)
          if (next === undefined) moves++
          shown = next ?? log.ordered().map(shownAs)
          const fresh = new RoomLog()
          for (const a of arrived) fresh.add(a)
          expect(shown.map(m => m.id)).toEqual(fresh.ordered().map(e => e.cid.toString()))
          expect(log.ordered().map(e => e.cid.toString())).toEqual(shown.map(m => m.id))
        }
      }
    }
    // Out-of-order deliveries did happen (entries before what links them), and were placed right too.
    expect(moves).toBeGreaterThan(0)
  }, 60_000)

  it('concurrent messages make several heads; the next message links them all', async () => {
    const [alice, bob] = await Promise.all([author(), author()])
    const log = new RoomLog()
    const root = await entry(alice, 'start', 1)
    log.add(root)
    const a = await entry(alice, 'a', 5, [root.cid])
    const b = await entry(bob, 'b', 5, [root.cid])
    log.add(a)
    log.add(b)
    expect(log.heads().length).toBe(2)
    const merge = await entry(bob, 'merge', 6, log.heads())
    log.add(merge)
    expect(log.heads().map(String)).toEqual([merge.cid.toString()])
    expect(log.ordered().map(s => s.entry.text)).toEqual(['start', ...[a, b].sort((x, y) => x.cid.toString() < y.cid.toString() ? -1 : 1).map(s => s.entry.text), 'merge'])
  })

  it('dropping the oldest as new entries come (an archive at its cap) holds links for what it keeps only, and the heads stay right', async () => {
    const all = await randomHistory(4242, 120)
    const log = new RoomLog()
    const byAge: SignedEntry[] = []
    for (const signed of all) {
      log.add(signed)
      byAge.push(signed)
      byAge.sort((x, y) => x.entry.ts - y.entry.ts)
      // Keep ten, as a byte cap would.
      while (byAge.length > 10) log.remove((byAge.shift() as SignedEntry).cid)
      expect(log.size).toBe(Math.min(10, byAge.length))
      // The links held are those the kept entries make, no more.
      expect(log.links).toBe(new Set(byAge.flatMap(s => s.entry.prev.map(String))).size)
    }
    // Every head is kept, and no kept entry links to a head.
    const kept = new Set(byAge.map(s => s.cid.toString()))
    const linkedByKept = new Set(byAge.flatMap(s => s.entry.prev.map(String)))
    for (const head of log.heads().map(String)) {
      expect(kept.has(head)).toBe(true)
      expect(linkedByKept.has(head)).toBe(false)
    }
    // An entry removed and given back is known again, with its links counted once more.
    const oldest = byAge[0]
    expect(log.remove(oldest.cid)).toBe(true)
    expect(log.remove(oldest.cid)).toBe(false)
    expect(log.add(oldest)).toBe(true)
    expect(log.has(oldest.cid)).toBe(true)
    for (const signed of [...byAge]) log.remove(signed.cid)
    expect(log.size).toBe(0)
    expect(log.links).toBe(0)
  })
})

describe('syncing history by CID', () => {
  async function store (entries: SignedEntry[]): Promise<(cid: CID) => Promise<Uint8Array>> {
    const blocks = new Map(entries.map(s => [s.cid.toString(), s.bytes]))
    return async cid => {
      const bytes = blocks.get(cid.toString())
      if (bytes === undefined) throw new Error('nobody has it')
      return bytes
    }
  }

  it('walks back from a head to everything, in order, and a replayed old head adds nothing', async () => {
    const alice = await author()
    const chain: SignedEntry[] = []
    for (let i = 0; i < 50; i++) chain.push(await entry(alice, `m${i}`, 1000 + i, i === 0 ? [] : [chain[i - 1].cid]))
    const log = new RoomLog()
    const counts = newSyncCounts()
    const getBlock = await store(chain)
    const added = await syncHistory('lobby', log, [chain[49].cid], getBlock, { ...DEFAULT_SYNC_LIMITS, now: () => 2000 }, counts)
    expect(added.length).toBe(50)
    expect(log.ordered().map(s => s.entry.text)).toEqual(chain.map(s => s.entry.text))
    expect(await syncHistory('lobby', log, [chain[10].cid, chain[49].cid], getBlock, { ...DEFAULT_SYNC_LIMITS, now: () => 2000 }, counts)).toEqual([])
    expect(counts).toEqual(newSyncCounts())
  })

  it('stops at the configured depth, and at entries older than the age limit', async () => {
    const alice = await author()
    const chain: SignedEntry[] = []
    for (let i = 0; i < 30; i++) chain.push(await entry(alice, `m${i}`, i * 1000, i === 0 ? [] : [chain[i - 1].cid]))
    const getBlock = await store(chain)
    const counts = newSyncCounts()
    const deep = await syncHistory('lobby', new RoomLog(), [chain[29].cid], getBlock, { ...DEFAULT_SYNC_LIMITS, maxEntries: 10, now: () => 30_000 }, counts)
    expect(deep.map(s => s.entry.text)).toEqual(chain.slice(20).reverse().map(s => s.entry.text))
    expect(counts.truncated).toBe(1)
    const recent = await syncHistory('lobby', new RoomLog(), [chain[29].cid], getBlock, { ...DEFAULT_SYNC_LIMITS, maxAgeMs: 5_500, now: () => 30_000 }, newSyncCounts())
    // Entries from 25 s on are followed; the first older one (24 s) is kept, its links not.
    expect(recent.map(s => s.entry.ts)).toEqual([29_000, 28_000, 27_000, 26_000, 25_000, 24_000])
  })

  it('counts what it refuses or cannot get, and goes on: missing blocks, wrong room, the future, forgeries', async () => {
    const [alice, mallory] = await Promise.all([author(), author()])
    const gone = (await entry(alice, 'never stored', 1)).cid
    const otherRoom = await entry(alice, 'elsewhere', 2, [], 'other')
    const future = await entry(alice, 'from the future', 10 * 60_000 + 5000)
    const forged = await createEntry({ room: 'lobby', nick: 'x', text: 'forged', ts: 3, prev: [] }, mallory.key, alice.id)
    const top = await entry(alice, 'top', 4, [gone, otherRoom.cid, future.cid, forged.cid])
    const counts = newSyncCounts()
    const added = await syncHistory('lobby', new RoomLog(), [top.cid], await store([top, otherRoom, future, forged]), { ...DEFAULT_SYNC_LIMITS, now: () => 5000 }, counts)
    expect(added.map(s => s.entry.text)).toEqual(['top'])
    expect(counts).toMatchObject({ unavailable: 1, wrongRoom: 1, future: 1, signature: 1 })
  })

  it('a fork bomb of heads stays bounded by the depth limit', async () => {
    const authors = await Promise.all(Array.from({ length: 4 }, async () => author()))
    const all: SignedEntry[] = []
    let layer: SignedEntry[] = []
    for (let l = 0; l < 6; l++) {
      const next: SignedEntry[] = []
      for (let i = 0; i < MAX_PREV; i++) next.push(await entry(authors[i % 4], `l${l}-${i}`, l * 100 + i, layer.map(s => s.cid)))
      all.push(...next)
      layer = next
    }
    const counts = newSyncCounts()
    const added = await syncHistory('lobby', new RoomLog(), layer.map(s => s.cid), await store(all), { ...DEFAULT_SYNC_LIMITS, maxEntries: 40, now: () => 10_000 }, counts)
    expect(added.length).toBe(40)
    expect(counts.truncated).toBe(1)
  }, 30_000)
})

describe('history indexes', () => {
  it('list a member\'s newest entries in linked blocks of 1000, read back in order', async () => {
    const { sha256 } = await import('multiformats/hashes/sha2')
    const cids = await Promise.all(Array.from({ length: 2500 }, async (_, i) => CID.createV1(0x71, await sha256.digest(new Uint8Array([i & 255, i >> 8])))))
    const blocks = await buildHistoryIndex('lobby', cids)
    expect(blocks).toHaveLength(3)
    const read: string[] = []
    const byCid = new Map(blocks.map(b => [b.cid.toString(), b.bytes]))
    for (let at: CID | undefined = blocks[0].cid; at !== undefined;) {
      const index = readHistoryIndex(byCid.get(at.toString()) as Uint8Array, 'lobby')
      read.push(...index.entries.map(String))
      at = index.next
    }
    expect(read).toEqual(cids.map(String))
    expect(() => readHistoryIndex(blocks[0].bytes, 'elsewhere')).toThrow('not a history index of this room')
  })

  it('let a sync ask for many entries at once instead of one round trip per message', async () => {
    const alice = await author()
    const chain: SignedEntry[] = []
    for (let i = 0; i < 200; i++) chain.push(await entry(alice, `m${i}`, 1000 + i, i === 0 ? [] : [chain[i - 1].cid]))
    const [index] = await buildHistoryIndex('lobby', chain.map(s => s.cid).reverse())
    const blocks = new Map([...chain.map(s => [s.cid.toString(), s.bytes] as const), [index.cid.toString(), index.bytes]])
    const walk = async (withIndex: boolean): Promise<{ added: number, waves: number }> => {
      let inFlight = 0
      let waves = 0
      const getBlock = async (cid: CID): Promise<Uint8Array> => {
        if (inFlight++ === 0) waves++
        await new Promise(resolve => setTimeout(resolve, 1))
        inFlight--
        return blocks.get(cid.toString()) as Uint8Array
      }
      const added = await syncHistory('lobby', new RoomLog(), [chain[199].cid], getBlock, { ...DEFAULT_SYNC_LIMITS, now: () => 5000 }, newSyncCounts(), withIndex ? index.cid : undefined)
      return { added: added.length, waves }
    }
    expect(await walk(false)).toEqual({ added: 200, waves: 200 })
    const fast = await walk(true)
    expect(fast.added).toBe(200)
    expect(fast.waves).toBeLessThanOrEqual(6)
  })

  it('a bad index is counted and the walk goes on by prev', async () => {
    const alice = await author()
    const first = await entry(alice, 'first', 1)
    const second = await entry(alice, 'second', 2, [first.cid])
    const blocks = new Map([[first.cid.toString(), first.bytes], [second.cid.toString(), second.bytes], [first.cid.toString() + 'x', new Uint8Array()]])
    const counts = newSyncCounts()
    const added = await syncHistory('lobby', new RoomLog(), [second.cid], async cid => {
      const bytes = blocks.get(cid.toString())
      if (bytes === undefined) throw new Error('nobody has it')
      return bytes
    }, { ...DEFAULT_SYNC_LIMITS, now: () => 5000 }, counts, first.cid)
    expect(added.map(s => s.entry.text).sort()).toEqual(['first', 'second'])
    expect(counts.badIndex).toBe(1)
  })
})
