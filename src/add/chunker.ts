/**
 * Cuts a file's stream into the profile's fixed-size chunks (Kubo's `size-N` chunker). A whole
 * chunk inside a piece is handed out as a view of it, with no copy (a stream hands its pieces
 * over and does not reuse them); the rest is gathered in a buffer sized by what the file says
 * is left, so small files do not cost a full chunk each.
 */
export class FixedSizeChunker {
  private readonly chunkSize: number
  private left: number
  private buffer: Uint8Array | undefined
  private filled = 0
  private any = false

  /** `expected`: the file's size as announced (a file that turns out longer still works). */
  constructor (chunkSize: number, expected: number) {
    this.chunkSize = chunkSize
    this.left = expected
  }

  /** The chunks a piece completes. */
  * push (piece: Uint8Array): Generator<Uint8Array> {
    for (let at = 0; at < piece.length;) {
      if (this.filled === 0 && piece.length - at >= this.chunkSize) {
        yield this.emit(piece.subarray(at, at + this.chunkSize))
        at += this.chunkSize
        continue
      }
      const buffer = this.room()
      const take = Math.min(buffer.length - this.filled, piece.length - at)
      buffer.set(piece.subarray(at, at + take), this.filled)
      this.filled += take
      at += take
      if (this.filled === this.chunkSize) {
        this.buffer = undefined
        this.filled = 0
        yield this.emit(buffer)
      }
    }
  }

  /** The last, shorter chunk, if any; an empty file is one empty chunk. */
  finish (): Uint8Array | undefined {
    if (this.filled === 0) return this.any ? undefined : new Uint8Array(0)
    const buffer = this.buffer as Uint8Array
    return this.filled === buffer.length ? buffer : buffer.slice(0, this.filled)
  }

  private emit (chunk: Uint8Array): Uint8Array {
    this.any = true
    this.left -= chunk.length
    return chunk
  }

  /** The gathering buffer, with room for at least one more byte. */
  private room (): Uint8Array {
    if (this.buffer === undefined) {
      this.buffer = new Uint8Array(Math.max(1, Math.min(this.chunkSize, this.left)))
    } else if (this.filled === this.buffer.length) {
      const grown = new Uint8Array(this.chunkSize)
      grown.set(this.buffer)
      this.buffer = grown
    }
    return this.buffer
  }
}
