/** A byte range resolved against a size: `[start, end)`. */
export interface ByteRange {
  start: number
  end: number
}

/** Most ranges answered in one multipart response; more than this and only the first is served. */
export const MAX_RANGES = 64

/**
 * Resolves a `Range` header against an entity of `size` bytes. Returns undefined for headers
 * the gateway ignores (other units, malformed), `'unsatisfiable'` when no range overlaps the
 * entity, and otherwise the satisfiable ranges in the order asked (RFC 9110, section 14.1).
 */
export function parseRanges (header: string, size: number): ByteRange[] | 'unsatisfiable' | undefined {
  const match = /^bytes=(.+)$/.exec(header.trim())
  if (match === null) return undefined
  const ranges: ByteRange[] = []
  for (const part of match[1].split(',')) {
    const spec = /^\s*(\d*)-(\d*)\s*$/.exec(part)
    if (spec === null || (spec[1] === '' && spec[2] === '')) return undefined
    if (spec[1] === '') {
      const suffix = Number(spec[2])
      if (suffix > 0 && size > 0) ranges.push({ start: Math.max(0, size - suffix), end: size })
      continue
    }
    const start = Number(spec[1])
    if (spec[2] !== '' && Number(spec[2]) < start) return undefined
    const end = spec[2] === '' ? size : Math.min(size, Number(spec[2]) + 1)
    if (start < size) ranges.push({ start, end })
  }
  return ranges.length === 0 ? 'unsatisfiable' : ranges.slice(0, MAX_RANGES)
}

/** Reads `[start, end)` of an entity as a stream of chunks. */
export type RangeReader = (start: number, end: number) => AsyncGenerator<Uint8Array>

/** A `multipart/byteranges` body (RFC 9110, section 14.6) and its exact length. */
export interface MultipartBody {
  contentType: string
  length: number
  body: () => AsyncGenerator<Uint8Array>
}

/** Builds the `multipart/byteranges` answer for several ranges of an entity of type `type`. */
export function multipartRanges (ranges: ByteRange[], size: number, type: string, read: RangeReader): MultipartBody {
  const boundary = `cairn-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`
  const utf8 = new TextEncoder()
  const heads = ranges.map((r, i) => utf8.encode(
    `${i === 0 ? '' : '\r\n'}--${boundary}\r\nContent-Type: ${type}\r\nContent-Range: bytes ${r.start}-${r.end - 1}/${size}\r\n\r\n`))
  const tail = utf8.encode(`\r\n--${boundary}--\r\n`)
  const length = heads.reduce((n, h) => n + h.length, 0) + ranges.reduce((n, r) => n + r.end - r.start, 0) + tail.length
  return {
    contentType: `multipart/byteranges; boundary=${boundary}`,
    length,
    async * body () {
      for (const [i, range] of ranges.entries()) {
        yield heads[i]
        yield * read(range.start, range.end)
      }
      yield tail
    }
  }
}
