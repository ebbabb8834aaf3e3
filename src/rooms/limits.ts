/**
 * Largest room message, DAG-CBOR encoded. Rooms refuse anything bigger, the relay does not
 * forward it, and gossipsub is configured from it (no other topic carries larger messages).
 */
export const MAX_MESSAGE_BYTES = 64 * 1024

/** The range of the history limit setting (messages a room syncs and shows). */
export const HISTORY_LIMIT_RANGE = { min: 10, max: 10_000 } as const
