import { describe, expect, it } from 'vitest'
import { count } from '../../../src/lib/count.ts'

describe('count', () => {
  it('says one thing in the singular and any other number in the plural', () => {
    expect(count(1, 'pin')).toBe('1 pin')
    expect(count(0, 'pin')).toBe('0 pins')
    expect(count(2, 'block')).toBe('2 blocks')
    expect(count(3, 'entry', 'entries')).toBe('3 entries')
    expect(count(1, 'entry', 'entries')).toBe('1 entry')
  })
})
