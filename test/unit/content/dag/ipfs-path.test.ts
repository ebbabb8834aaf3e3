import { describe, expect, it } from 'vitest'
import { parseIpfsPath } from '../../../../src/content/dag/ipfs-path.ts'

describe('IPFS paths', () => {
  const cid = 'bafyreihdb57fdysx5h35urvxz64ros7zvywshber7id6t6c6fek37jgyfe'
  it('accepts a bare CID, /ipfs/ paths and ipfs:// URLs', () => {
    for (const input of [`${cid}/a/b`, `/ipfs/${cid}/a/b/`, `ipfs://${cid}/a//b`]) {
      expect(parseIpfsPath(input)).toMatchObject({ segments: ['a', 'b'] })
    }
    expect(parseIpfsPath(`/ipfs/${cid}/a%20b`).segments).toEqual(['a b'])
  })
  it('rejects what it cannot read', () => {
    for (const input of ['', '/ipfs/nope', '/ipns/x', `/ipfs/${cid}/%zz`]) {
      expect(() => parseIpfsPath(input)).toThrow(expect.objectContaining({ name: 'InvalidPathError' }))
    }
  })
})
