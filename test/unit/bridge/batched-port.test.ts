import { describe, expect, it } from 'vitest'
import { BatchedPort } from '../../../src/bridge/batched-port.ts'

/** Two connected BatchedPorts, and what each received (batch by batch on the raw side). */
function pair (): { left: BatchedPort<string | ArrayBuffer, never>, received: Array<string | ArrayBuffer>, batches: () => number, close: () => void } {
  const { port1, port2 } = new MessageChannel()
  const received: Array<string | ArrayBuffer> = []
  let batches = 0
  port2.onmessage = (event: MessageEvent<Array<string | ArrayBuffer>>) => {
    batches++
    received.push(...event.data)
  }
  const left = new BatchedPort<string | ArrayBuffer, never>(port1, () => {})
  return { left, received, batches: () => batches, close: () => { left.close(); port2.close() } }
}

const settle = async (): Promise<void> => new Promise(resolve => setTimeout(resolve, 50))

describe('the WebRTC bridge port', () => {
  it('sends everything posted in one task as one message, in order', async () => {
    const p = pair()
    for (let i = 0; i < 128; i++) p.left.post(`m${i}`)
    await settle()
    expect(p.batches()).toBe(1)
    expect(p.received).toEqual(Array.from({ length: 128 }, (_, i) => `m${i}`))
    p.close()
  })

  it('keeps order across tasks and moves transferred buffers instead of copying them', async () => {
    const p = pair()
    const buffer = new Uint8Array([1, 2, 3]).buffer
    p.left.post('first')
    await settle()
    p.left.post(buffer, [buffer])
    p.left.post('last')
    await settle()
    expect(buffer.byteLength).toBe(0)
    expect(p.batches()).toBe(2)
    expect(p.received[0]).toBe('first')
    expect([...new Uint8Array(p.received[1] as ArrayBuffer)]).toEqual([1, 2, 3])
    expect(p.received[2]).toBe('last')
    p.close()
  })

  it('sends at once on flush (a page saying goodbye), and nothing after close', async () => {
    const p = pair()
    p.left.post('bye')
    p.left.flush()
    p.left.post('never sent')
    p.left.close()
    await settle()
    expect(p.received).toEqual(['bye'])
  })

  it('hands each message of an incoming batch to the receiver', async () => {
    const { port1, port2 } = new MessageChannel()
    const got: string[] = []
    const right = new BatchedPort<never, string>(port2, message => got.push(message))
    port1.postMessage(['a', 'b', 'c'])
    await settle()
    expect(got).toEqual(['a', 'b', 'c'])
    right.close()
    port1.close()
  })
})
