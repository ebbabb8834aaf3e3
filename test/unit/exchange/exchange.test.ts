import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { FetchSession } from '../../../src/content/fetch-session.ts'
import type { BlockBroker } from '../../../src/exchange/broker.ts'
import { BlockUnavailableError } from '../../../src/exchange/errors.ts'
import { Exchange } from '../../../src/exchange/exchange.ts'

async function rawBlock (text: string): Promise<{ cid: CID, bytes: Uint8Array }> {
  const bytes = new TextEncoder().encode(text)
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
}

/** A broker answering after `ms` with `bytes` (or failing), recording calls and aborts. */
function broker (name: string, answer: () => Uint8Array | Error, ms = 0): BlockBroker & { calls: number, aborted: number } {
  const b = {
    name,
    kind: 'gateway' as const,
    calls: 0,
    aborted: 0,
    retrieve: async (_cid: CID, { signal }: { signal: AbortSignal }) => {
      b.calls++
      return new Promise<{ bytes: Uint8Array, from: string }>((resolve, reject) => {
        const timer = setTimeout(() => {
          const value = answer()
          if (value instanceof Error) reject(value)
          else resolve({ bytes: value, from: name })
        }, ms)
        signal.addEventListener('abort', () => { clearTimeout(timer); b.aborted++; reject(signal.reason) }, { once: true })
      })
    }
  }
  return b
}

describe('Exchange (the race between sources)', () => {
  it('takes the first answer that verifies; a faster wrong answer is counted and skipped', async () => {
    const block = await rawBlock('hello')
    const liar = broker('liar', () => new TextEncoder().encode('olleh'), 0)
    const slow = broker('slow', () => block.bytes, 30)
    const slower = broker('slower', () => block.bytes, 2000)
    const exchange = new Exchange({ brokers: async () => [liar, slow, slower] })
    const got = await exchange.fetch(block.cid)
    expect(got).toEqual({ bytes: block.bytes, from: 'slow', source: 'slow' })
    expect(slower.aborted).toBe(1)
    const stats = Object.fromEntries(exchange.stats().map(s => [s.name, s]))
    expect(stats.liar).toMatchObject({ wrong: 1, blocks: 0 })
    expect(stats.slow).toMatchObject({ blocks: 1, bytes: 5, wrong: 0 })
    expect(stats.slower).toMatchObject({ blocks: 0, failed: 0 })
  })

  it('shares one race between concurrent fetches of a CID, and stops it only when every caller cancelled', async () => {
    const block = await rawBlock('shared')
    const source = broker('one', () => block.bytes, 200)
    const exchange = new Exchange({ brokers: async () => [source] })
    const [a, b] = await Promise.all([exchange.fetch(block.cid), exchange.fetch(block.cid)])
    expect(a.bytes).toEqual(b.bytes)
    expect(source.calls).toBe(1)
    // Different blocks at the same time are different races.
    const blocks = await Promise.all(['x', 'y', 'z'].map(rawBlock))
    const bySource: BlockBroker = { name: 'map', kind: 'gateway', retrieve: async cid => ({ bytes: blocks.find(b => b.cid.equals(cid))?.bytes ?? new Uint8Array(), from: 'map' }) }
    const many = new Exchange({ brokers: async () => [bySource] })
    const got = await Promise.all(blocks.map(async b => many.fetch(b.cid)))
    expect(got.map(g => new TextDecoder().decode(g.bytes))).toEqual(['x', 'y', 'z'])

    const other = await rawBlock('cancelled')
    const late = broker('late', () => other.bytes, 10_000)
    const exchange2 = new Exchange({ brokers: async () => [late] })
    const first = new AbortController()
    const second = new AbortController()
    const p1 = exchange2.fetch(other.cid, { signal: first.signal })
    const p2 = exchange2.fetch(other.cid, { signal: second.signal })
    first.abort(new Error('one gone'))
    await expect(p1).rejects.toThrow('one gone')
    await new Promise(resolve => setTimeout(resolve, 20))
    expect(late.aborted).toBe(0)
    second.abort(new Error('both gone'))
    await expect(p2).rejects.toThrow('both gone')
    await new Promise(resolve => setTimeout(resolve, 20))
    expect(late.aborted).toBe(1)
    expect(late.calls).toBe(1)
  })

  it('fails with every source\'s answer, fast when all refuse, after the timeout when some hang', async () => {
    const block = await rawBlock('nobody')
    const refusing = new Exchange({ brokers: async () => [broker('a', () => new Error('answered 404 Not Found')), broker('b', () => new Error('boom'))] })
    const err = await refusing.fetch(block.cid).catch((e: unknown) => e) as BlockUnavailableError
    expect(err).toBeInstanceOf(BlockUnavailableError)
    expect(err.attempts).toEqual([{ source: 'a', outcome: 'answered 404 Not Found' }, { source: 'b', outcome: 'boom' }])
    const hanging = new Exchange({ brokers: async () => [broker('h', () => block.bytes, 10_000)], timeoutMs: 100 })
    const late = await hanging.fetch(block.cid).catch((e: unknown) => e) as BlockUnavailableError
    expect(late.message).toMatch(/within 100 ms$/)
    expect(late.attempts).toEqual([{ source: 'h', outcome: 'no answer within 100 ms' }])
    const none = new Exchange({ brokers: async () => [] })
    await expect(none.fetch(block.cid)).rejects.toThrow(/no source to fetch it from is enabled/)
    // Within one session, a block nobody had is not asked for again.
    const asked = broker('once', () => new Error('answered 404 Not Found'))
    const remembering = new Exchange({ brokers: async () => [asked] })
    const session = new FetchSession()
    await expect(remembering.fetch(block.cid, { session })).rejects.toThrow(BlockUnavailableError)
    await expect(remembering.fetch(block.cid, { session })).rejects.toThrow(BlockUnavailableError)
    expect(asked.calls).toBe(1)
    await expect(remembering.fetch(block.cid)).rejects.toThrow(BlockUnavailableError)
    expect(asked.calls).toBe(2)
  })

  it('stops waiting for Bitswap once it has no peer to ask and every other source has answered', async () => {
    const block = await rawBlock('lonely')
    let peers = 0
    const bitswap: BlockBroker = {
      ...broker('bitswap', () => block.bytes, 60_000),
      kind: 'bitswap',
      idle: () => peers === 0
    }
    const exchange = new Exchange({ brokers: async () => [bitswap, broker('gw', () => new Error('answered 404 Not Found'), 20)], timeoutMs: 30_000 })
    const started = Date.now()
    const err = await exchange.fetch(block.cid).catch((e: unknown) => e) as BlockUnavailableError
    expect(Date.now() - started).toBeLessThan(1000)
    expect(err.attempts).toContainEqual({ source: 'bitswap', outcome: 'no connected peer to ask' })
    // With a peer to ask, it waits for it.
    peers = 1
    const waiting = new Exchange({ brokers: async () => [{ ...bitswap, retrieve: broker('bitswap', () => block.bytes, 200).retrieve }, broker('gw', () => new Error('no'), 0)] })
    expect((await waiting.fetch(block.cid)).bytes).toEqual(block.bytes)
  })

  it('asks peers only when told to: no gateway and no provider lookup hears of the block', async () => {
    const block = await rawBlock('between peers')
    const gateway = broker('gw', () => block.bytes)
    const fromPeer: BlockBroker = { ...broker('bitswap', () => block.bytes, 5), kind: 'bitswap' }
    let lookups = 0
    const exchange = new Exchange({ brokers: async () => [fromPeer, gateway], findProviders: async () => { lookups++ } })
    expect((await exchange.fetch(block.cid, { peersOnly: true })).from).toBe('bitswap')
    expect(gateway.calls).toBe(0)
    expect(lookups).toBe(0)
  })

  it('looks providers up once per session at its first miss, and again only for blocks that stay unanswered', async () => {
    const first = await rawBlock('first')
    const second = await rawBlock('second')
    const stuck = await rawBlock('stuck')
    const known = new Map([first, second].map(b => [b.cid.toString(), b.bytes]))
    const peers: BlockBroker = {
      name: 'peers',
      kind: 'bitswap',
      retrieve: async (cid, { signal }) => new Promise((resolve, reject) => {
        const bytes = known.get(cid.toString())
        if (bytes !== undefined) resolve({ bytes, from: 'peer' })
        signal.addEventListener('abort', () => { reject(signal.reason) }, { once: true })
      })
    }
    const lookups: string[] = []
    const exchange = new Exchange({ brokers: async () => [peers], findProviders: async cid => { lookups.push(cid.toString()) }, lookupAfterMs: 50, timeoutMs: 300 })
    const session = new FetchSession()
    await exchange.fetch(first.cid, { session })
    await exchange.fetch(second.cid, { session })
    expect(lookups).toEqual([first.cid.toString()])
    await expect(exchange.fetch(stuck.cid, { session })).rejects.toThrow(BlockUnavailableError)
    expect(lookups).toEqual([first.cid.toString(), stuck.cid.toString()])
    expect(session.progress).toEqual({ blocks: 2, bytes: 11, sources: { peer: 2 } })
  })
})
