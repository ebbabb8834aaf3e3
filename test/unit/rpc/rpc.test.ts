import { describe, expect, it } from 'vitest'
import { RpcClient, type RpcTarget } from '../../../src/rpc/client.ts'
import { serveRequest, type RpcHandlers } from '../../../src/rpc/server.ts'
import type { RpcRequest } from '../../../src/rpc/protocol.ts'
import { DagJsonParseError } from '../../../src/hotpath/index.ts'

function handlers (overrides: Partial<RpcHandlers> = {}): RpcHandlers {
  const fail = (): never => { throw new Error('not used in this test') }
  return {
    'dag.put': async (_params, context) => {
      context.emit('progress', { done: 1 })
      return { cid: 'bafy-test', size: 3 }
    },
    'dag.get': fail,
    'block.get': fail,
    'block.stat': fail,
    'cid.inspect': () => { throw new DagJsonParseError('bad text', 7) },
    'repo.stat': async () => ({ blocks: 2, bytes: 10 }),
    'car.import': fail,
    'car.imports': fail,
    'node.status': fail,
    'settings.get': fail,
    'settings.set': fail,
    'peers.list': fail,
    'peers.dial': fail,
    'peers.disconnect': fail,
    'peers.ping': fail,
    'peers.throughput': fail,
    'rooms.list': fail,
    'rooms.join': fail,
    'rooms.leave': fail,
    'rooms.nick': fail,
    'rooms.send': fail,
    'rooms.history': fail,
    ...overrides
  }
}

/** A target that serves requests in this process; `drop` decides which ones go unanswered. */
function target (h: RpcHandlers, options: { allowed?: boolean, drop?: (n: number) => boolean } = {}): RpcTarget & { received: number } {
  const t = {
    received: 0,
    postMessage (message: unknown, transfer: Transferable[]) {
      t.received++
      if (options.drop?.(t.received) === true) return
      void serveRequest(h, message as RpcRequest, transfer[0] as MessagePort, options.allowed ?? true)
    }
  }
  return t
}

describe('postMessage RPC', () => {
  it('returns results and delivers progress events', async () => {
    const client = new RpcClient({ target: async () => target(handlers()) })
    const events: unknown[] = []
    const result = await client.call('dag.put', { json: '{}' }, { onEvent: e => events.push(e) })
    expect(result).toEqual({ cid: 'bafy-test', size: 3 })
    expect(events).toEqual([{ type: 'progress', detail: { done: 1 } }])
  })

  it('rebuilds errors by name, keeping the offset', async () => {
    const client = new RpcClient({ target: async () => target(handlers()) })
    await expect(client.call('cid.inspect', { cid: 'x' })).rejects.toMatchObject({ name: 'DagJsonParseError', offset: 7 })
  })

  it('refuses callers that are not app pages, running nothing', async () => {
    let ran = false
    const h = handlers({ 'repo.stat': async () => { ran = true; return { blocks: 0, bytes: 0 } } })
    const client = new RpcClient({ target: async () => target(h, { allowed: false }) })
    await expect(client.call('repo.stat', {})).rejects.toMatchObject({ name: 'RpcForbiddenError' })
    expect(ran).toBe(false)
  })

  it('rejects unknown methods by name', async () => {
    const client = new RpcClient({ target: async () => target(handlers()) })
    await expect(client.call('no.such' as 'repo.stat', {})).rejects.toMatchObject({ name: 'UnknownMethodError' })
  })

  it('retries an idempotent call when the worker did not answer (it was restarted)', async () => {
    const t = target(handlers(), { drop: n => n === 1 })
    let lookups = 0
    const client = new RpcClient({ target: async () => { lookups++; return t }, timeout: 50 })
    expect(await client.call('repo.stat', {})).toEqual({ blocks: 2, bytes: 10 })
    expect(t.received).toBe(2)
    expect(lookups).toBe(2)
  })

  it('gives up with RpcTimeoutError after the retries', async () => {
    const t = target(handlers(), { drop: () => true })
    const client = new RpcClient({ target: async () => t, timeout: 20, retries: 2 })
    await expect(client.call('repo.stat', {})).rejects.toMatchObject({ name: 'RpcTimeoutError' })
    expect(t.received).toBe(3)
  })

  it('stops waiting when the caller aborts', async () => {
    const client = new RpcClient({ target: async () => target(handlers(), { drop: () => true }), timeout: 10_000 })
    const controller = new AbortController()
    const call = client.call('repo.stat', {}, { signal: controller.signal })
    controller.abort(new Error('user went away'))
    await expect(call).rejects.toThrow('user went away')
  })

  it('keeps waiting for a long call while it reports progress, and never retries an import', async () => {
    const slow = handlers({
      'car.import': async (_params, context) => {
        for (let i = 0; i < 5; i++) {
          await new Promise(resolve => setTimeout(resolve, 30))
          context.emit('progress', { blocks: i })
        }
        return { id: 'x', version: 1, roots: [], missingRoots: [], blocks: 5, bytes: 0, newBlocks: 0, newBytes: 0, ms: 150 }
      }
    })
    const t = target(slow)
    const client = new RpcClient({ target: async () => t, timeout: 80 })
    const events: unknown[] = []
    const summary = await client.call('car.import', { file: new Blob([]), name: 'a.car' }, { onEvent: e => events.push(e.detail) })
    expect(summary.blocks).toBe(5)
    expect(events).toHaveLength(5)
    const silent = target(handlers(), { drop: () => true })
    await expect(new RpcClient({ target: async () => silent, timeout: 20 }).call('car.import', { file: new Blob([]), name: 'a.car' }))
      .rejects.toMatchObject({ name: 'RpcTimeoutError' })
    expect(silent.received).toBe(1)
  })
})
