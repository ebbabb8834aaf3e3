import type { RpcHandlers } from '../../rpc/server.ts'
import { getNetwork } from '../cairn-instance.ts'

import { HISTORY_LIMIT_RANGE } from '../../rooms/limits.ts'

/** Chat rooms. */
export const roomHandlers: RpcHandlers = {
  'rooms.list': async () => {
    const { rooms } = await getNetwork()
    return { rooms: rooms.list(), nick: rooms.nick, drops: rooms.drops(), historyLimit: rooms.historyLimit }
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
    // `limit` (default: the history limit setting), at most the setting's maximum.
    return { messages: await rooms.history(room, Math.min(Math.max(1, Math.floor(limit ?? rooms.historyLimit)), HISTORY_LIMIT_RANGE.max)), members: rooms.memberList(room), heads: rooms.heads(room) }
  },
  'rooms.historyLimit': async ({ limit }) => {
    const { rooms } = await getNetwork()
    await rooms.setHistoryLimit(limit)
    return { limit: rooms.historyLimit }
  }
}
