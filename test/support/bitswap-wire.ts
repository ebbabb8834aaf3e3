import type { CID } from 'multiformats/cid'

// Bitswap 1.2 messages written and read by hand, for tests that play a hostile peer: the
// protobuf of the spec (Message: wantlist = 1, payload = 3, blockPresences = 4), nothing more.

function varint (n: number): number[] {
  const out: number[] = []
  while (n >= 0x80) { out.push((n & 0x7f) | 0x80); n = Math.floor(n / 128) }
  out.push(n)
  return out
}

function field (no: number, bytes: Uint8Array): number[] {
  return [...varint((no << 3) | 2), ...varint(bytes.length), ...bytes]
}

function number (no: number, value: number): number[] {
  return [...varint(no << 3), ...varint(value)]
}

/** The CID prefix Bitswap 1.1+ sends with a block: version, codec, hash code, hash length. */
export function prefixOf (cid: CID): Uint8Array {
  return new Uint8Array([...varint(cid.version), ...varint(cid.code), ...varint(cid.multihash.code), ...varint(cid.multihash.size)])
}

/** A want as the spec writes it: `wantType` 0 = block, 1 = have. */
export interface Want { cid: CID, wantType: 0 | 1, sendDontHave: boolean }

/** Encodes a message with wants and/or blocks. */
export function encodeMessage (message: { wants?: Want[], blocks?: Array<{ prefix: Uint8Array, data: Uint8Array }> }): Uint8Array {
  const out: number[] = []
  if (message.wants !== undefined) {
    const entries: number[] = []
    for (const want of message.wants) {
      entries.push(...field(1, new Uint8Array([...field(1, want.cid.bytes), ...number(2, 1), ...number(4, want.wantType), ...number(5, want.sendDontHave ? 1 : 0)])))
    }
    out.push(...field(1, new Uint8Array(entries)))
  }
  for (const block of message.blocks ?? []) out.push(...field(3, new Uint8Array([...field(1, block.prefix), ...field(2, block.data)])))
  return new Uint8Array(out)
}

/** One length-prefixed frame, as Bitswap streams carry messages. */
export function frame (message: Uint8Array): Uint8Array {
  return new Uint8Array([...varint(message.length), ...message])
}

function readVarint (bytes: Uint8Array, at: number): [number, number] {
  let value = 0
  let scale = 1
  for (;;) {
    if (at >= bytes.length) throw new RangeError('truncated varint')
    const b = bytes[at++]
    value += (b & 0x7f) * scale
    if (b < 0x80) return [value, at]
    scale *= 128
  }
}

/** The top-level fields of a message: each field number with its raw value bytes (or number). */
function fields (bytes: Uint8Array): Array<{ no: number, value: Uint8Array | number }> {
  const out: Array<{ no: number, value: Uint8Array | number }> = []
  for (let at = 0; at < bytes.length;) {
    const [key, next] = readVarint(bytes, at)
    const wire = key & 7
    if (wire === 0) {
      const [value, after] = readVarint(bytes, next)
      out.push({ no: key >> 3, value })
      at = after
    } else {
      const [length, start] = readVarint(bytes, next)
      out.push({ no: key >> 3, value: bytes.subarray(start, start + length) })
      at = start + length
    }
  }
  return out
}

/** What a received message holds: the CIDs (bytes) wanted and cancelled, blocks, DONT_HAVE and HAVE counts. */
export interface ReadMessage { wanted: Uint8Array[], cancelled: Uint8Array[], blocks: Uint8Array[], dontHaves: number, haves: number }

/** Reads the parts of a message these tests look at. */
export function decodeMessage (bytes: Uint8Array): ReadMessage {
  const read: ReadMessage = { wanted: [], cancelled: [], blocks: [], dontHaves: 0, haves: 0 }
  for (const f of fields(bytes)) {
    if (!(f.value instanceof Uint8Array)) continue
    if (f.no === 1) {
      for (const entry of fields(f.value)) {
        if (entry.no === 1 && entry.value instanceof Uint8Array) {
          const parts = fields(entry.value)
          const block = parts.find(e => e.no === 1)?.value
          const cancel = parts.find(e => e.no === 3)?.value === 1
          if (block instanceof Uint8Array) (cancel ? read.cancelled : read.wanted).push(block)
        }
      }
    } else if (f.no === 3) {
      const data = fields(f.value).find(e => e.no === 2)?.value
      if (data instanceof Uint8Array) read.blocks.push(data)
    } else if (f.no === 4) {
      const type = fields(f.value).find(e => e.no === 2)?.value ?? 0
      if (type === 1) read.dontHaves++
      else read.haves++
    }
  }
  return read
}

/** Splits a stream's bytes into length-prefixed frames; returns the frames and the rest. */
export function splitFrames (bytes: Uint8Array): { frames: Uint8Array[], rest: Uint8Array } {
  const frames: Uint8Array[] = []
  let at = 0
  while (at < bytes.length) {
    let length: number
    let start: number
    try {
      [length, start] = readVarint(bytes, at)
    } catch {
      break
    }
    if (start > bytes.length || start + length > bytes.length) break
    frames.push(bytes.subarray(start, start + length))
    at = start + length
  }
  return { frames, rest: bytes.subarray(at) }
}
