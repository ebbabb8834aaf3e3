import { CID } from 'multiformats/cid'

/**
 * Kubo's pin kinds: `recursive` keeps a whole DAG, `direct` one block. (Kubo's "indirect" is
 * what a recursive pin reaches; it is not recorded.)
 */
export type PinType = 'recursive' | 'direct'

/** How pinned content came to the node. */
export type PinOrigin = 'imported' | 'added' | 'created' | 'fetched' | 'pinned' | 'followed'

/** The name a pin keeps current (an IPNS name or a DNSLink domain), and how that goes. */
export interface FollowedName {
  /** As given after `/ipns/` (a `k51…` name or a domain). */
  name: string
  /** When the name was last resolved for this pin (ms since the epoch). */
  checkedAt: number
  /** A newer version the name points at that is not completely stored yet (the pin stays on the old one). */
  pending?: string
  /** Why the last check could not move the pin, if it could not. */
  problem?: string
}

/** One pin, as kept in the store. */
export interface PinRecord {
  /** The root, as a CIDv1 string (a CIDv0 and its CIDv1 are one pin). */
  cid: string
  type: PinType
  /** A name the user sees: the file or CAR name, or one they gave. */
  name: string
  origin: PinOrigin
  /** When it was pinned (ms since the epoch). */
  pinnedAt: number
  /** Set for a pin that follows a name: it moves when the name does. */
  follows?: FollowedName
}

/** Where pins are kept: IndexedDB in the app (`storage/`), memory in tests. */
export interface PinStore {
  get(cid: string): Promise<PinRecord | undefined>
  put(record: PinRecord): Promise<void>
  delete(cid: string): Promise<void>
  list(): Promise<PinRecord[]>
  /** The newest `limit` pins (newest first) and how many there are, without reading the rest. */
  newest(limit: number): Promise<{ pins: PinRecord[], total: number }>
}

/** Pins in memory: for tests. */
export class MemoryPinStore implements PinStore {
  private readonly pins = new Map<string, PinRecord>()
  async get (cid: string): Promise<PinRecord | undefined> { return this.pins.get(cid) }
  async put (record: PinRecord): Promise<void> { this.pins.set(record.cid, { ...record }) }
  async delete (cid: string): Promise<void> { this.pins.delete(cid) }
  async list (): Promise<PinRecord[]> { return [...this.pins.values()].map(r => ({ ...r })) }
  async newest (limit: number): Promise<{ pins: PinRecord[], total: number }> {
    const all = (await this.list()).sort((a, b) => b.pinnedAt - a.pinnedAt)
    return { pins: all.slice(0, limit), total: all.length }
  }
}

/** The key a CID is pinned under: its CIDv1 string. */
export function pinKey (cid: CID): string {
  return cid.toV1().toString()
}

/** A pin's root as a CID. */
export function pinRoot (record: PinRecord): CID {
  return CID.parse(record.cid)
}
