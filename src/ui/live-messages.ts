import type { LiveMessage } from '../rooms/room-service.ts'
import type { StoredMessage } from '../rooms/room-store.ts'

/**
 * Places a message that just arrived in the list a room shows, where the node's shared order
 * puts it (before the message `before` names, or last), so members see one order at every
 * moment and opening the room again moves nothing. A message already shown changes nothing.
 * Undefined when the place is not in the list (it goes before the oldest one shown): read the
 * history again.
 */
export function placeMessage (list: StoredMessage[], message: LiveMessage): StoredMessage[] | undefined {
  if (list.some(m => m.id === message.id)) return list
  const { before, heads: _heads, ...stored } = message
  if (before === undefined) return [...list, stored]
  const at = list.findIndex(m => m.id === before)
  if (at === -1) return undefined
  return [...list.slice(0, at), stored, ...list.slice(at)]
}
