import { describe, expect, it } from 'vitest'
import { FixedSizeChunker } from '../../../src/add/chunker.ts'

function cut (pieces: number[], chunkSize: number, expected = pieces.reduce((a, b) => a + b, 0)): number[][] {
  const chunker = new FixedSizeChunker(chunkSize, expected)
  let next = 0
  const out: number[][] = []
  for (const length of pieces) {
    const piece = Uint8Array.from({ length }, () => next++ & 255)
    for (const chunk of chunker.push(piece)) out.push([...chunk])
  }
  const last = chunker.finish()
  if (last !== undefined) out.push([...last])
  return out
}

describe('the fixed-size chunker', () => {
  it('cuts any piece sizes into the same chunks, the last one shorter', () => {
    const expected = cut([10], 4)
    expect(expected.map(c => c.length)).toEqual([4, 4, 2])
    for (const pieces of [[1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [3, 7], [4, 4, 2], [9, 1], [2, 8]]) expect(cut(pieces, 4)).toEqual(expected)
  })

  it('gives one empty chunk for an empty file, none extra for an exact multiple', () => {
    expect(cut([], 4)).toEqual([[]])
    expect(cut([0], 4)).toEqual([[]])
    expect(cut([8], 4).map(c => c.length)).toEqual([4, 4])
  })

  it('copes with a file longer or shorter than announced', () => {
    expect(cut([3, 3, 3], 4, 2).map(c => c.length)).toEqual([4, 4, 1])
    expect(cut([2], 4, 100).map(c => c.length)).toEqual([2])
  })

  it('hands whole chunks inside a piece out without copying', () => {
    const piece = new Uint8Array(8)
    const chunks = [...new FixedSizeChunker(4, 8).push(piece)]
    expect(chunks.map(c => c.buffer === piece.buffer)).toEqual([true, true])
  })
})
