import type { RoomMessage } from './message.ts'

/** What survives a restart: the rooms joined, the heads of their history, and the nickname. */
export interface RoomState {
  rooms: string[]
  nick: string
  /** Per room, the CIDs of its history's heads (the history itself is blocks). */
  heads?: Record<string, string[]>
  /** How many messages of history a room syncs and shows (default 1000). */
  historyLimit?: number
}

/** A chat message as shown: a history entry (version 2), or an old live-only message (version 1). */
export interface StoredMessage extends Omit<RoomMessage, 'v'> {
  v: 1 | 2
  /** Unique per message: the entry's CID, or for version 1 the author's PeerId and the pubsub sequence number. */
  id: string
  /** The history entry's CID (version 2). */
  cid?: string
  receivedAt: number
  /** Sent by this node. */
  mine: boolean
}

/** Where rooms keep their state (the history itself is blocks): IndexedDB in the app, memory in unit tests. */
export interface RoomStore {
  load(): Promise<RoomState | undefined>
  save(state: RoomState): Promise<void>
}

/** Keeps the state in memory: for unit tests and Node.js peers in tests only. */
export class MemoryRoomStore implements RoomStore {
  private state: RoomState | undefined

  async load (): Promise<RoomState | undefined> { return this.state === undefined ? undefined : structuredClone(this.state) }
  async save (state: RoomState): Promise<void> { this.state = structuredClone(state) }
}
