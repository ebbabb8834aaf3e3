import type { CID } from 'multiformats/cid'
import { cidFromValidBytes } from '../hotpath/index.ts'

/**
 * The links a walk has yet to visit, as CID bytes back to back rather than as CID objects:
 * a file of a million leaves puts hundreds of thousands of links here at once, about 40
 * bytes each this way instead of some 300 as objects. Last in, first out.
 */
export class LinkStack {
  private bytes = new Uint8Array(16 * 1024)
  private used = 0
  /** Where each pushed CID ends. */
  private ends: number[] = []

  /** How many links are waiting. */
  get length (): number {
    return this.ends.length
  }

  /** Adds a link. */
  push (cid: CID): void {
    const cidBytes = cid.bytes
    if (this.used + cidBytes.length > this.bytes.length) {
      const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.used + cidBytes.length))
      bigger.set(this.bytes.subarray(0, this.used))
      this.bytes = bigger
    }
    this.bytes.set(cidBytes, this.used)
    this.used += cidBytes.length
    this.ends.push(this.used)
  }

  /** Takes the newest link, or `undefined` when none is left. */
  pop (): CID | undefined {
    const end = this.ends.pop()
    if (end === undefined) return undefined
    const start = this.ends.length > 0 ? this.ends[this.ends.length - 1] : 0
    this.used = start
    return cidFromValidBytes(this.bytes.slice(start, end))
  }
}
