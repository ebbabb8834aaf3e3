import type { NetworkService } from '../../p2p/network-service.ts'
import type { RpcHandlers } from '../../rpc/server.ts'
import { getCairn } from '../cairn-instance.ts'

const running = async (): Promise<NetworkService> => (await getCairn()).network.get()

/** Messages shown when a room opens: `limit` (default 200), at most every message kept (500). */
const HISTORY_DEFAULT = 200
const HISTORY_MAX = 500

/** Chat rooms. */
export const roomHandlers: RpcHandlers = {
  'rooms.list': async () => {
    const { rooms } = await running()
    return { rooms: rooms.list(), nick: rooms.nick, drops: rooms.drops() }
  },
  'rooms.join': async ({ room }) => {
    await (await running()).rooms.join(room)
    return {}
  },
  'rooms.leave': async ({ room }) => {
    await (await running()).rooms.leave(room)
    return {}
  },
  'rooms.nick': async ({ nick }) => {
    const { rooms } = await running()
    await rooms.setNick(nick)
    return { nick: rooms.nick }
  },
  'rooms.send': async ({ room, text }) => (await running()).rooms.send(room, text),
  'rooms.history': async ({ room, limit }) => {
    const { rooms } = await running()
    return { messages: await rooms.history(room, Math.min(Math.max(1, Math.floor(limit ?? HISTORY_DEFAULT)), HISTORY_MAX)), members: rooms.memberList(room) }
  }
}
