/** A room name that cannot be used: empty, too long, control characters, or reserved. */
export class InvalidRoomNameError extends Error {
  override name = 'InvalidRoomNameError'
}

/** A nickname or message text that cannot be sent. */
export class InvalidChatInputError extends Error {
  override name = 'InvalidChatInputError'
}

/** An operation on a room this node has not joined. */
export class NotInRoomError extends Error {
  override name = 'NotInRoomError'
}

/** Bytes received on a room topic that are not a valid room message. */
export class MalformedRoomMessageError extends Error {
  override name = 'MalformedRoomMessageError'
}
