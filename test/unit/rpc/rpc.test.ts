import { describe, expect, it } from 'vitest'
import { RpcClient, type RpcTarget } from '../../../src/rpc/client.ts'
import { serveRequest, type RpcHandlers } from '../../../src/rpc/server.ts'
import { isIdempotent, type RpcRequest } from '../../../src/rpc/protocol.ts'
import { DagJsonParseError } from '../../../src/hotpath/index.ts'

/** The handlers these tests use: a test double lists only what it needs. */
function handlers (overrides: RpcHandlers = {}): RpcHandlers {
  return {
    'dag.put': async () => ({ cid: 'bafy-test', size: 3 }),
    'cid.inspect': () => { throw new DagJsonParseError('bad text', 7) },
    'repo.stat': async () => ({ blocks: 2, bytes: 10 }),
    'car.import': async (_params, { progress }) => {
      progress({ bytesRead: 1, blocks: 1 })
      return { id: 'x', version: 1, roots: [], missingRoots: [], blocks: 1, bytes: 1, newBlocks: 1, newBytes: 1, ms: 1 }
    },
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
  it('returns results and delivers typed progress events', async () => {
    const client = new RpcClient({ target: async () => target(handlers()) })
    expect(await client.call('dag.put', { json: '{}' })).toEqual({ cid: 'bafy-test', size: 3 })
    const events: Array<{ bytesRead: number }> = []
    const summary = await client.call('car.import', { file: new Blob([]), name: 'a.car' }, { onProgress: p => events.push(p) })
    expect(summary.blocks).toBe(1)
    expect(events).toEqual([{ bytesRead: 1, blocks: 1 }])
  })

  it('checks parameters in the worker before anything runs', async () => {
    let ran = false
    const h = handlers({
      'dag.put': async () => { ran = true; return { cid: 'x', size: 0 } },
      'settings.set': async () => { ran = true; throw new Error('not reached') }
    })
    const client = new RpcClient({ target: async () => target(h) })
    await expect(client.call('dag.put', { json: 42 } as unknown as { json: string })).rejects.toMatchObject({ name: 'InvalidParamsError' })
    await expect(client.call('dag.put', { json: '{}', codec: 'dag-pb' } as unknown as { json: string })).rejects.toMatchObject({ name: 'InvalidParamsError' })
    await expect(client.call('car.import', { file: 'not a file', name: 'x' } as unknown as { file: Blob, name: string })).rejects.toMatchObject({ name: 'InvalidParamsError' })
    await expect(client.call('repo.stat', { usage: 'yes' } as unknown as { usage: boolean })).rejects.toMatchObject({ name: 'InvalidParamsError' })
    await expect(client.call('settings.set', { relays: ['nonsense'], allowLocalAddresses: null, iceServers: [] })).rejects.toMatchObject({ name: 'InvalidSettingError' })
    expect(ran).toBe(false)
  })

  it('rejects a method the worker does not serve by name', async () => {
    const client = new RpcClient({ target: async () => target(handlers()) })
    await expect(client.call('rooms.list', {})).rejects.toMatchObject({ name: 'UnknownMethodError' })
  })

  it('marks which methods may be sent again: reads and content-addressed writes, never sends or imports', () => {
    for (const m of ['dag.put', 'dag.get', 'block.get', 'repo.stat', 'rooms.history', 'rooms.join'] as const) expect(isIdempotent(m), m).toBe(true)
    for (const m of ['car.import', 'rooms.send', 'rooms.leave', 'peers.dial', 'peers.throughput', 'settings.set'] as const) expect(isIdempotent(m), m).toBe(false)
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

  it('tells the worker when the caller aborts, and the method sees its signal abort', async () => {
    let seen: AbortSignal | undefined
    const started = Promise.withResolvers<void>()
    const stopped = Promise.withResolvers<void>()
    const long = handlers({
      'car.import': async (_params, context) => {
        seen = context.signal
        context.signal.addEventListener('abort', () => { stopped.resolve() })
        started.resolve()
        await stopped.promise
        throw context.signal.reason
      }
    })
    const client = new RpcClient({ target: async () => target(long), timeout: 10_000 })
    const controller = new AbortController()
    const call = client.call('car.import', { file: new Blob([]), name: 'a.car' }, { signal: controller.signal })
    await started.promise
    expect(seen?.aborted).toBe(false)
    controller.abort(new Error('cancelled by the user'))
    await expect(call).rejects.toThrow('cancelled by the user')
    await stopped.promise
    expect(seen?.aborted).toBe(true)
  })

  it('keeps waiting for a long call while it reports progress, and never retries an import', async () => {
    const slow = handlers({
      'car.import': async (_params, context) => {
        for (let i = 0; i < 5; i++) {
          await new Promise(resolve => setTimeout(resolve, 30))
          context.progress({ bytesRead: i, blocks: i })
        }
        return { id: 'x', version: 1, roots: [], missingRoots: [], blocks: 5, bytes: 0, newBlocks: 0, newBytes: 0, ms: 150 }
      }
    })
    const t = target(slow)
    const client = new RpcClient({ target: async () => t, timeout: 80 })
    const events: unknown[] = []
    const summary = await client.call('car.import', { file: new Blob([]), name: 'a.car' }, { onProgress: p => events.push(p) })
    expect(summary.blocks).toBe(5)
    expect(events).toHaveLength(5)
    const silent = target(handlers(), { drop: () => true })
    await expect(new RpcClient({ target: async () => silent, timeout: 20 }).call('car.import', { file: new Blob([]), name: 'a.car' }))
      .rejects.toMatchObject({ name: 'RpcTimeoutError' })
    expect(silent.received).toBe(1)
  })
})
