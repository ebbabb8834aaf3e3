import type { AbortOptions, Libp2p, PeerId, Startable, Stream, StreamHandler, StreamHandlerOptions } from '@libp2p/interface'

/** The part of libp2p's registrar a protocol service uses (libp2p hands it to services). */
export interface Registrar {
  handle(protocol: string, handler: StreamHandler, options?: StreamHandlerOptions): Promise<void>
  unhandle(protocol: string): Promise<void>
}

/**
 * Cairn's throughput test, a diagnostic like `iperf`: the dialer sends a number of bytes and
 * closes its side; the listener counts what arrived and answers with the count as an 8-byte
 * big-endian integer. The dialer times the whole exchange.
 */
export const THROUGHPUT_PROTOCOL = '/cairn/throughput/1.0.0'

/** The most one test may send; the listener resets a stream that carries more. */
export const MAX_THROUGHPUT_BYTES = 256 * 1024 * 1024

/** How much a test sends when the caller does not say (enough to leave slow start behind). */
export const DEFAULT_THROUGHPUT_BYTES = 8 * 1024 * 1024

const CHUNK_BYTES = 64 * 1024
const COUNT_BYTES = 8

/** A throughput test could not run or did not add up. */
export class ThroughputError extends Error {
  override name = 'ThroughputError'
}

/** What one test measured. */
export interface ThroughputResult {
  bytes: number
  ms: number
  bytesPerSecond: number
  /** The remote address of the connection the test ran on. */
  remoteAddr: string
}

/** Options of one test. */
export interface ThroughputOptions extends AbortOptions {
  /** Called with the bytes sent so far, about once per MiB. */
  onProgress?: (sent: number) => void
}

type ThroughputNode = Pick<Libp2p, 'dialProtocol' | 'getConnections'>

/**
 * Answers other peers' throughput tests, resetting any that sends more than `maxBytes`. Tests never run on limited (relayed with a data or
 * time cap) connections: they would only use up the relay's allowance.
 */
export async function serveThroughputTests (node: Pick<Registrar, 'handle'>, maxBytes = MAX_THROUGHPUT_BYTES): Promise<void> {
  await node.handle(THROUGHPUT_PROTOCOL, async stream => {
    try {
      const received = await countBytes(stream, maxBytes)
      stream.send(encodeCount(received))
      await stream.close()
    } catch (err) {
      stream.abort(err as Error)
    }
  }, { maxInboundStreams: 2, maxOutboundStreams: 2 })
}

/** Options of the throughput service. */
export interface ThroughputServiceInit {
  /** The most one test may send (default `MAX_THROUGHPUT_BYTES`). */
  maxBytes?: number
}

class ThroughputService implements Startable {
  private readonly registrar: Registrar
  private readonly maxBytes: number

  constructor (components: { registrar: Registrar }, init: ThroughputServiceInit) {
    this.registrar = components.registrar
    this.maxBytes = init.maxBytes ?? MAX_THROUGHPUT_BYTES
  }

  async start (): Promise<void> {
    await serveThroughputTests(this.registrar, this.maxBytes)
  }

  async stop (): Promise<void> {
    await this.registrar.unhandle(THROUGHPUT_PROTOCOL)
  }
}

/**
 * The throughput test as a libp2p service: every Cairn node answers it while it runs.
 * `services: { throughput: throughput() }`.
 */
export function throughput (init: ThroughputServiceInit = {}): (components: { registrar: Registrar }) => Startable {
  return components => new ThroughputService(components, init)
}

/** Sends `bytes` to a connected peer and reports how fast they got there. */
export async function measureThroughput (node: ThroughputNode, peer: PeerId, bytes: number = DEFAULT_THROUGHPUT_BYTES, options: ThroughputOptions = {}): Promise<ThroughputResult> {
  if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > MAX_THROUGHPUT_BYTES) {
    throw new ThroughputError(`a throughput test sends 1 to ${MAX_THROUGHPUT_BYTES} bytes, not ${bytes}`)
  }
  let stream: Stream
  try {
    stream = await node.dialProtocol(peer, THROUGHPUT_PROTOCOL, { signal: options.signal })
  } catch (err) {
    const e = err as Error
    if (e.name === 'LimitedConnectionError') {
      throw new ThroughputError('the only connection to this peer is a limited relayed one; throughput tests need a direct connection or an unlimited relay')
    }
    throw new ThroughputError(`could not open a throughput test with ${peer.toString()}: ${e.message}`)
  }
  const remoteAddr = node.getConnections(peer).find(c => c.streams.includes(stream))?.remoteAddr.toString() ?? ''
  try {
    const reply = readCount(stream)
    // Awaited after sending; a failure meanwhile surfaces there (or as the send's own error).
    reply.catch(() => {})
    const chunk = crypto.getRandomValues(new Uint8Array(CHUNK_BYTES))
    const started = performance.now()
    let sent = 0
    let reported = 0
    while (sent < bytes) {
      const size = Math.min(CHUNK_BYTES, bytes - sent)
      const more = stream.send(size === CHUNK_BYTES ? chunk : chunk.subarray(0, size))
      sent += size
      if (options.onProgress !== undefined && sent - reported >= 1024 * 1024) {
        reported = sent
        options.onProgress(sent)
      }
      if (!more) await stream.onDrain({ signal: options.signal })
    }
    await stream.close({ signal: options.signal })
    const counted = await reply
    const ms = performance.now() - started
    if (counted !== bytes) throw new ThroughputError(`sent ${bytes} bytes but the peer counted ${counted}`)
    return { bytes, ms, bytesPerSecond: bytes / (ms / 1000), remoteAddr }
  } catch (err) {
    stream.abort(err as Error)
    throw err instanceof ThroughputError ? err : new ThroughputError(`throughput test with ${peer.toString()} failed: ${(err as Error).message}`)
  }
}

/** Reads a stream to its end and returns how many bytes came; throws past `limit`. */
async function countBytes (stream: Stream, limit: number): Promise<number> {
  let received = 0
  for await (const chunk of stream) {
    received += chunk.byteLength
    if (received > limit) throw new ThroughputError(`more than ${limit} bytes`)
  }
  return received
}

/** Reads the listener's answer: one 8-byte big-endian count, then the end of the stream. */
async function readCount (stream: Stream): Promise<number> {
  const answer = new Uint8Array(COUNT_BYTES)
  let received = 0
  for await (const data of stream) {
    const chunk = data instanceof Uint8Array ? data : data.subarray()
    if (received + chunk.byteLength > COUNT_BYTES) throw new ThroughputError('the peer answered with more than a count')
    answer.set(chunk, received)
    received += chunk.byteLength
  }
  if (received !== COUNT_BYTES) throw new ThroughputError(`the peer answered with ${received} bytes instead of a count`)
  return Number(new DataView(answer.buffer).getBigUint64(0))
}

function encodeCount (count: number): Uint8Array {
  const bytes = new Uint8Array(COUNT_BYTES)
  new DataView(bytes.buffer).setBigUint64(0, BigInt(count))
  return bytes
}
