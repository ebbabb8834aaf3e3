import { concat } from 'uint8arrays/concat'
// The hot path's modules directly (not its index), so Node.js tools can run this file as-is.
import { carHeader, carSections, type CarBlock, type CarHeaderInfo } from '../../hotpath/car.ts'
import { CarTruncatedError } from '../../hotpath/errors.ts'
import { verifyBlock } from '../hashing.ts'

/** A block of a CAR whose bytes have been checked against its CID. */
export type VerifiedBlock = CarBlock

/** Parse once this many bytes are buffered (or at the end of the file). */
const WINDOW = 4 * 1024 * 1024

/** What the reader yields: the header first, then batches of verified blocks. */
export type CarReadEvent =
  | { type: 'header', header: CarHeaderInfo }
  | { type: 'blocks', blocks: VerifiedBlock[], bytesRead: number }

/**
 * Verifies a batch with the one block verifier, all blocks at once (large ones hash on
 * `crypto.subtle`, off the main thread); a failure is reported for the first bad block in
 * file order, at its section's offset.
 */
async function verified (blocks: CarBlock[]): Promise<VerifiedBlock[]> {
  const results = await Promise.allSettled(blocks.map(async b => verifyBlock(b.cid, b.bytes, b.offset)))
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failed !== undefined) throw failed.reason
  return blocks
}

/** Cuts `chunk` (starting at file offset `at`) so that nothing at or after `end` remains. */
function clip (chunk: Uint8Array, at: number, end: number | undefined): Uint8Array {
  if (end === undefined || at + chunk.length <= end) return chunk
  return chunk.subarray(0, Math.max(0, end - at))
}

/**
 * Reads a CAR (v1, or v2's inner v1) from a stream of chunks while holding only a few MiB of
 * it: yields the header, then batches of blocks, each framed by the WASM module and verified
 * against its CID by the one block verifier. A CARv2 index after the data payload is not read. Errors carry file offsets:
 * `CarFormatError`, `CarTruncatedError`, `BlockHashMismatchError`, `UnsupportedMultihashError`.
 */
export async function * readCar (source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<CarReadEvent> {
  let pending: Uint8Array[] = []
  let pendingLength = 0
  /** File offset of the first pending byte. */
  let offset = 0
  /** Bytes taken from the source so far. */
  let received = 0
  /** Buffered bytes that trigger the next parse; doubles while one section outgrows it. */
  let threshold = WINDOW
  let header: CarHeaderInfo | undefined

  const keep = (chunks: Uint8Array[]): void => {
    pending = chunks.filter(c => c.length > 0)
    pendingLength = pending.reduce((n, c) => n + c.length, 0)
  }

  const readHeader = (atEof: boolean): CarHeaderInfo | undefined => {
    const head = pending.length === 1 ? pending[0] : concat(pending)
    header = carHeader(head, atEof)
    if (header === undefined) {
      keep([head])
      return undefined
    }
    offset = header.sectionsStart
    keep([clip(head.subarray(header.sectionsStart), header.sectionsStart, header.sectionsEnd)])
    return header
  }

  const readSections = (atEof: boolean): CarBlock[] => {
    const total = pendingLength
    const { blocks, rest } = carSections(pending, atEof, offset)
    offset += total - rest.length
    keep([rest])
    threshold = blocks.length === 0 ? Math.max(threshold, pendingLength * 2) : WINDOW
    return blocks
  }

  for await (const chunk of source) {
    const piece = header === undefined ? chunk : clip(chunk, received, header.sectionsEnd)
    received += chunk.length
    if (piece.length > 0) {
      pending.push(piece)
      pendingLength += piece.length
    }
    if (header === undefined) {
      const found = readHeader(false)
      if (found !== undefined) yield { type: 'header', header: found }
    }
    if (header !== undefined && pendingLength >= threshold) {
      yield { type: 'blocks', blocks: await verified(readSections(false)), bytesRead: received }
    }
  }
  if (header === undefined) {
    yield { type: 'header', header: readHeader(true) as CarHeaderInfo }
  }
  const end = (header as CarHeaderInfo).sectionsEnd
  if (end !== undefined && received < end) {
    throw new CarTruncatedError('the file ends before the end of the CARv2 data payload', received)
  }
  yield { type: 'blocks', blocks: await verified(readSections(true)), bytesRead: received }
}
