import type { RpcHandlers } from '../../rpc/server.ts'
import { getNetwork } from '../cairn-instance.ts'

/** Messages shown when a room opens: `limit` (default 200), at most every message kept (500). */
const HISTORY_DEFAULT = 200
const HISTORY_MAX = 500

/** Chat rooms. */
export const roomHandlers: RpcHandlers = {
  'rooms.list': async () => {
    const { rooms } = await getNetwork()
    return { rooms: rooms.list(), nick: rooms.nick, drops: rooms.drops() }
  },
  'rooms.join': async ({ room }) => {
    await (await getNetwork()).rooms.join(room)
    return {}
  },
  'rooms.leave': async ({ room }) => {
    await (await getNetwork()).rooms.leave(room)
    return {}
  },
  'rooms.nick': async ({ nick }) => {
    const { rooms } = await getNetwork()
    await rooms.setNick(nick)
    return { nick: rooms.nick }
  },
  'rooms.send': async ({ room, text }) => (await getNetwork()).rooms.send(room, text),
  'rooms.history': async ({ room, limit }) => {
    const { rooms } = await getNetwork()
    return { messages: await rooms.history(room, Math.min(Math.max(1, Math.floor(limit ?? HISTORY_DEFAULT)), HISTORY_MAX)), members: rooms.memberList(room), heads: rooms.heads(room) }
  }
}
