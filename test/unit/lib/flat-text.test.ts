import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { flatText } from '../../../src/lib/flat-text.ts'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/** Heap bytes per string kept as a map key, each made by `make` from a CID of its own. */
function bytesPerKey (cids: Uint8Array[], make: (cid: CID) => string): number {
  const kept = new Map<string, number>()
  gc()
  const before = process.memoryUsage().heapUsed
  for (const bytes of cids) kept.set(make(CID.decode(bytes)), 1)
  gc()
  const after = process.memoryUsage().heapUsed
  expect(kept.size).toBe(cids.length)
  return (after - before) / cids.length
}

describe('flat text', () => {
  it('is the same text', () => {
    const text = `bafy${'a'.repeat(55)}`
    expect(flatText(text)).toBe(text)
    expect(flatText('')).toBe('')
    expect(flatText('12')).toBe('12')
  })

  it('keeps a CID\'s string at a tenth of what multiformats\' string costs as a key', async () => {
    const cids = await Promise.all(Array.from({ length: 20_000 }, async (_, i) => CID.createV1(0x71, await sha256.digest(new TextEncoder().encode(`entry ${i}`))).bytes))
    const chained = bytesPerKey(cids, cid => cid.toString())
    const flat = bytesPerKey(cids, cid => flatText(cid.toString()))
    // Measured in Node 24: about 1 600 bytes chained, about 120 flat.
    expect(flat).toBeLessThan(300)
    expect(chained).toBeGreaterThan(flat * 4)
  })
})
