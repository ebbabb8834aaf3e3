import { describe, expect, it } from 'vitest'
import { CID } from 'multiformats/cid'
import { inspectCid } from '../../../src/content/cid-inspect.ts'

describe('CID inspector', () => {
  it('describes a CIDv0 and its v1 forms', () => {
    const info = inspectCid('QmQg1v4o9xdT3Q14wh4S7dxZkDjyZ9ssFzFzyep1YrVJBY')
    expect(info).toMatchObject({ version: 0, codec: { name: 'dag-pb', code: 0x70 }, multihash: { name: 'sha2-256', code: 0x12, length: 32 } })
    expect(info.v0).toBe('QmQg1v4o9xdT3Q14wh4S7dxZkDjyZ9ssFzFzyep1YrVJBY')
    expect(info.v1).toBe(CID.parse(info.v0 ?? '').toV1().toString())
  })
  it('reads any base the table lists, in either case where the base allows it', () => {
    const v1 = CID.parse('bafyreihdb57fdysx5h35urvxz64ros7zvywshber7id6t6c6fek37jgyfe')
    const info = inspectCid(v1.toString())
    expect(info.v0).toBeUndefined()
    for (const { text } of info.bases) expect(inspectCid(text).v1).toBe(v1.toString())
    expect(inspectCid(v1.toString().toUpperCase()).multibase.name).toBe('base32upper')
  })
  it('rejects garbage by name', () => {
    expect(() => inspectCid('bafy!')).toThrow(expect.objectContaining({ name: 'InvalidPathError' }))
    expect(() => inspectCid('xyz')).toThrow(expect.objectContaining({ name: 'InvalidPathError' }))
  })
})
