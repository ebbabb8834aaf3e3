import { CID } from 'multiformats/cid'
import { identity } from 'multiformats/hashes/identity'
// The hot path's modules directly, so the fuzz runner also works under plain Node.js.
import { dagJsonToDagCbor } from '../../src/hotpath/codecs.ts'
import { readHistoryIndex } from '../../src/rooms/history-index.ts'
import { readTopicMessage } from '../../src/rooms/wire.ts'
import { attempt, attemptAsync, errorName } from './oracle.ts'
import type { Rng } from './rng.ts'
import type { FuzzTarget } from './targets.ts'

/** What a room reader may throw; anything else (a TypeError, a trap) is a finding. */
const ALLOWED = new Set(['MalformedRoomMessageError', 'InvalidEntryError'])
const AUTHOR = '12D3KooWJvyP3VJYymTqG7eH4PM5rN4T2agk5cTNCMrh2KE4uPK1'
const link = (n: number): { '/': string } => ({ '/': CID.createV1(0x71, identity.digest(new Uint8Array([n]))).toString() })

/** Blocks of each kind a room topic or a sync reads: entries, presences, indexes, version-1 messages. */
function roomBlocks (): Uint8Array[] {
  const json = [
    { v: 2, room: 'lobby', author: AUTHOR, nick: 'ada', text: 'hello', ts: 1, prev: [link(1), link(2)], sig: { '/': { bytes: 'AAEC' } } },
    { v: 2, kind: 'here', room: 'lobby', author: AUTHOR, nick: 'ada', ts: 1, heads: [link(3)], index: link(4) },
    { v: 2, kind: 'join', room: 'lobby', author: AUTHOR, nick: 'ada', ts: 1, heads: [] },
    { v: 1, room: 'lobby', entries: [link(5), link(6)], next: link(7) },
    { v: 1, kind: 'message', room: 'lobby', author: AUTHOR, nick: 'ada', text: 'old', timestamp: 1 }
  ]
  return json.map(value => dagJsonToDagCbor(JSON.stringify(value)))
}

/**
 * Rooms: everything a peer can put on a room topic (`readTopicMessage`: entries with their
 * signatures, presences with heads and indexes, version-1 messages) and history index blocks
 * (`readHistoryIndex`). Each input is refused with a room error or read; nothing else.
 */
export function roomTarget (): FuzzTarget {
  let seeds: Uint8Array[] | undefined
  return {
    name: 'room',
    // Built on first use: the hot path is loaded by then.
    seeds: () => (seeds ??= roomBlocks()),
    fresh: (rng: Rng) => rng.bytes(rng.below(256)),
    async check (input) {
      const message = await attemptAsync(async () => readTopicMessage(input))
      if (!message.ok && !ALLOWED.has(errorName(message.error))) return `readTopicMessage threw ${errorName(message.error)}: ${(message.error as Error)?.message}`
      const index = attempt(() => readHistoryIndex(input, 'lobby'))
      if (!index.ok && !ALLOWED.has(errorName(index.error))) return `readHistoryIndex threw ${errorName(index.error)}: ${(index.error as Error)?.message}`
      return undefined
    }
  }
}
