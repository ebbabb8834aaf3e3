import { describe, expect, it } from 'vitest'
import { Correlator } from '../../../src/lib/correlator.ts'

describe('Correlator (replies paired with requests over one channel)', () => {
  it('settles each request by its number, in any order', async () => {
    const c = new Correlator<string>()
    const a = c.open()
    const b = c.open()
    expect(a.id).not.toBe(b.id)
    expect(c.resolve(b.id, 'second')).toBe(true)
    expect(c.reject(a.id, new Error('first failed'))).toBe(true)
    await expect(b.reply).resolves.toBe('second')
    await expect(a.reply).rejects.toThrow('first failed')
    expect(c.size).toBe(0)
  })

  it('ignores a reply nobody waits for', () => {
    const c = new Correlator<string>()
    expect(c.resolve(99, 'late')).toBe(false)
  })

  it('fails a request after its timeout, and a late reply is ignored', async () => {
    const c = new Correlator<string>()
    const { id, reply } = c.open({ ms: 10, error: () => Object.assign(new Error('too slow'), { name: 'NotFoundError' }) })
    await expect(reply).rejects.toMatchObject({ name: 'NotFoundError' })
    expect(c.resolve(id, 'late')).toBe(false)
  })

  it('fails everything pending when the channel goes', async () => {
    const c = new Correlator<string>()
    const replies = [c.open().reply, c.open().reply]
    c.rejectAll(Object.assign(new Error('gone'), { name: 'BridgeHostGoneError' }))
    for (const reply of replies) await expect(reply).rejects.toMatchObject({ name: 'BridgeHostGoneError' })
    expect(c.size).toBe(0)
  })
})
