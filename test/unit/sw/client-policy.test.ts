import { describe, expect, it } from 'vitest'
import { isAppClient } from '../../../src/sw/client-policy.ts'

describe('who may call the node', () => {
  const origin = 'http://localhost:5173'
  const windowClient = (url: string): Client => ({ type: 'window', url } as Client)
  it('allows app pages of this origin', () => {
    expect(isAppClient(windowClient(`${origin}/#/explore/`), origin)).toBe(true)
  })
  it('refuses content under /ipfs/, other origins, workers and unknown senders', () => {
    expect(isAppClient(windowClient(`${origin}/ipfs/bafy/index.html`), origin)).toBe(false)
    expect(isAppClient(windowClient('http://evil.localhost:5173/'), origin)).toBe(false)
    expect(isAppClient({ type: 'worker', url: `${origin}/` } as Client, origin)).toBe(false)
    expect(isAppClient(null, origin)).toBe(false)
  })
})
