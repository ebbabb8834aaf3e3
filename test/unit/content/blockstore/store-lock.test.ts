import { describe, expect, it } from 'vitest'
import { memoryStoreLock, webStoreLock } from '../../../../src/content/blockstore/store-lock.ts'

const tick = async (): Promise<void> => new Promise(resolve => setTimeout(resolve, 5))

describe('the store lock (writes shared, garbage collection exclusive)', () => {
  for (const [name, make] of [['in memory', memoryStoreLock], ['Web Locks where available', webStoreLock]] as const) {
    describe(name, () => {
      it('lets writes run together', async () => {
        const lock = make()
        let running = 0
        let most = 0
        await Promise.all([1, 2, 3].map(async () => lock.shared(async () => {
          most = Math.max(most, ++running)
          await tick()
          running--
        })))
        expect(most).toBe(3)
      })

      it('runs a collection only after the writes before it, and writes after it wait', async () => {
        const lock = make()
        const log: string[] = []
        const first = lock.shared(async () => { log.push('write 1 start'); await tick(); log.push('write 1 end') })
        const gc = lock.exclusive(async () => { log.push('gc start'); await tick(); log.push('gc end') })
        const second = lock.shared(async () => { log.push('write 2') })
        await Promise.all([first, gc, second])
        expect(log).toEqual(['write 1 start', 'write 1 end', 'gc start', 'gc end', 'write 2'])
      })

      it('releases the lock when the work fails', async () => {
        const lock = make()
        await expect(lock.exclusive(async () => { throw new Error('boom') })).rejects.toThrow('boom')
        expect(await lock.shared(async () => 'after')).toBe('after')
      })
    })
  }
})

describe('writes through Blocks hold the store lock', () => {
  it('a put waits while a collection holds the lock exclusively', async () => {
    const { createBlocks } = await import('../../../../src/content/blocks.ts')
    const { MemoryBlockstore } = await import('../../../../src/content/blockstore/memory-blockstore.ts')
    const { CID } = await import('multiformats/cid')
    const { sha256 } = await import('multiformats/hashes/sha2')
    const lock = memoryStoreLock()
    const blockstore = new MemoryBlockstore()
    const blocks = createBlocks({ blockstore, lock })
    const bytes = new TextEncoder().encode('written after the collection')
    const cid = CID.createV1(0x55, await sha256.digest(bytes))
    const log: string[] = []
    const gc = lock.exclusive(async () => { await tick(); log.push(`gc saw the block: ${String(await blockstore.has(cid))}`) })
    const put = blocks.put(cid, bytes).then(() => log.push('put done'))
    await Promise.all([gc, put])
    expect(log).toEqual(['gc saw the block: false', 'put done'])
  })
})
