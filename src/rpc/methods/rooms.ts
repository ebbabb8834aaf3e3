import type { DropCounts, LiveMessage, RoomMember, RoomSummary } from '../../rooms/room-service.ts'
import type { StoredMessage } from '../../rooms/room-store.ts'
import { InvalidParamsError } from '../errors.ts'
import { fields, method, none, optionalNumber, text } from '../method.ts'

const roomParam = (name: string) => (value: unknown): { room: string } => ({ room: text(fields(value, name), 'room', name) })

/** Chat rooms. Joining a room twice, or setting the same nickname, changes nothing. */
export const roomMethods = {
  'rooms.list': method<Record<string, never>, { rooms: RoomSummary[], nick: string, drops: DropCounts, historyLimit: number }>({ idempotent: true, params: none('rooms.list') }),
  'rooms.join': method<{ room: string }, Record<string, never>>({ idempotent: true, params: roomParam('rooms.join') }),
  'rooms.leave': method<{ room: string }, Record<string, never>>({ idempotent: false, params: roomParam('rooms.leave') }),
  'rooms.nick': method<{ nick: string }, { nick: string }>({
    idempotent: true,
    params: value => ({ nick: text(fields(value, 'rooms.nick'), 'nick', 'rooms.nick') })
  }),
  /** Not sent again: a second send would be a second message. */
  'rooms.send': method<{ room: string, text: string }, { message: LiveMessage, recipients: number }>({
    idempotent: false,
    params: value => {
      const p = fields(value, 'rooms.send')
      return { room: text(p, 'room', 'rooms.send'), text: text(p, 'text', 'rooms.send') }
    }
  }),
  /** A room's history (causal order, the newest `limit`), its members, and the heads of its history. */
  /** How many messages of history rooms sync and show (10 to 10 000; default 1000). */
  'rooms.historyLimit': method<{ limit: number }, { limit: number }>({
    idempotent: true,
    params: value => {
      const limit = fields(value, 'rooms.historyLimit').limit
      if (typeof limit !== 'number') throw new InvalidParamsError('rooms.historyLimit takes "limit" as a number')
      return { limit }
    }
  }),
  'rooms.history': method<{ room: string, limit?: number }, { messages: StoredMessage[], members: RoomMember[], heads: string[] }>({
    idempotent: true,
    params: value => {
      const p = fields(value, 'rooms.history')
      const limit = optionalNumber(p, 'limit', 'rooms.history')
      return { room: text(p, 'room', 'rooms.history'), ...(limit === undefined ? {} : { limit }) }
    }
  })
}
