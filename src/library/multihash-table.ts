/**
 * An exact set of multihashes with a few flag bits each, kept in typed arrays rather than
 * as strings in a `Set`: about 45 bytes per entry for SHA-256 multihashes instead of some
 * 200 per string, so a collection that marks a million blocks holds tens of megabytes, not
 * hundreds. Exact on purpose: a false "already marked" during garbage collection would
 * delete a pinned block, so no probabilistic filter will do.
 *
 * Entries are numbered in insertion order and never removed; an entry's number stays valid
 * for the table's life, which lets callers keep lists of numbers instead of byte arrays.
 */
export class MultihashTable {
  /** Every entry's bytes, back to back. */
  private arena = new Uint8Array(64 * 1024)
  private arenaUsed = 0
  /** Entry i's bytes are `arena[starts[i] .. starts[i + 1])`. */
  private starts = new Uint32Array(1025)
  private flagBits = new Uint8Array(1024)
  /** Open addressing, linear probing: entry number + 1, or 0 for an empty slot. */
  private slots = new Uint32Array(2048)
  private count = 0

  /** How many multihashes the table holds. */
  get size (): number {
    return this.count
  }

  /** Bytes the table's arrays take (for measurement and logs). */
  get byteLength (): number {
    return this.arena.byteLength + this.starts.byteLength + this.flagBits.byteLength + this.slots.byteLength
  }

  /** The entry for `multihash`, or -1 when it is not in the table. */
  find (multihash: Uint8Array): number {
    const slot = this.probe(multihash, this.slots)
    return this.slots[slot] - 1
  }

  /** The entry for `multihash`, added (with no flags) when it was not there. */
  insert (multihash: Uint8Array): number {
    const slot = this.probe(multihash, this.slots)
    if (this.slots[slot] !== 0) return this.slots[slot] - 1
    const entry = this.count
    this.append(multihash)
    this.slots[slot] = entry + 1
    // Grown at half full, so probes stay short and an empty slot always ends them.
    if (this.count * 2 > this.slots.length) this.rehash()
    return entry
  }

  /** The flag bits of `entry`. */
  flags (entry: number): number {
    return this.flagBits[entry]
  }

  /** Sets `flag` (a bit) on `entry`; returns whether it was newly set. */
  setFlag (entry: number, flag: number): boolean {
    const had = (this.flagBits[entry] & flag) !== 0
    this.flagBits[entry] |= flag
    return !had
  }

  /** A copy of `entry`'s multihash bytes. */
  multihash (entry: number): Uint8Array {
    return this.arena.slice(this.starts[entry], this.starts[entry + 1])
  }

  /** The entries that have `flag` set, in insertion order. */
  * withFlag (flag: number): Generator<number> {
    for (let entry = 0; entry < this.count; entry++) {
      if ((this.flagBits[entry] & flag) !== 0) yield entry
    }
  }

  private append (multihash: Uint8Array): void {
    if (this.arenaUsed + multihash.length > this.arena.length) {
      this.arena = grown(this.arena, this.arenaUsed + multihash.length)
    }
    if (this.count === this.flagBits.length) {
      // Both grow to the same capacity: a flag set past the end of a typed array is lost silently.
      this.flagBits = grown(this.flagBits, this.count + 1)
      const starts = new Uint32Array(this.flagBits.length + 1)
      starts.set(this.starts)
      this.starts = starts
    }
    this.arena.set(multihash, this.arenaUsed)
    this.starts[this.count] = this.arenaUsed
    this.arenaUsed += multihash.length
    this.count++
    this.starts[this.count] = this.arenaUsed
  }

  /** The slot holding `multihash`, or the empty slot where it would go. */
  private probe (multihash: Uint8Array, slots: Uint32Array): number {
    const mask = slots.length - 1
    for (let slot = hash(multihash) & mask; ; slot = (slot + 1) & mask) {
      const held = slots[slot]
      if (held === 0 || this.equals(held - 1, multihash)) return slot
    }
  }

  private equals (entry: number, multihash: Uint8Array): boolean {
    const start = this.starts[entry]
    if (this.starts[entry + 1] - start !== multihash.length) return false
    for (let i = multihash.length - 1; i >= 0; i--) {
      if (this.arena[start + i] !== multihash[i]) return false
    }
    return true
  }

  private rehash (): void {
    const slots = new Uint32Array(this.slots.length * 2)
    for (let entry = 0; entry < this.count; entry++) {
      const bytes = this.arena.subarray(this.starts[entry], this.starts[entry + 1])
      slots[this.probe(bytes, slots)] = entry + 1
    }
    this.slots = slots
  }
}

/** FNV-1a over every byte: digests are random already, but the prefix must count too. */
function hash (bytes: Uint8Array): number {
  let h = 0x811c9dc5
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193)
  return h >>> 0
}

/** A copy of `array` with room for at least `needed` items (half as many again each time). */
function grown<T extends Uint8Array | Uint32Array> (array: T, needed: number): T {
  let length = Math.ceil(array.length * 1.5)
  while (length < needed) length = Math.ceil(length * 1.5)
  const bigger = new (array.constructor as new (length: number) => T)(length)
  bigger.set(array)
  return bigger
}
