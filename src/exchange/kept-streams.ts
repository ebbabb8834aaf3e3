import { logger } from '@libp2p/logger'
import type { AbortOptions, Libp2p, PeerId, Stream } from '@libp2p/interface'

const log = logger('cairn:exchange:kept-streams')

/**
 * How long a kept stream may sit unused before it is closed. Below the 10 s an
 * `@helia/bitswap` receiver waits for the next message before it drops a stream, so a kept
 * stream is always closed by its sender first and never written to after the peer gave up.
 */
export const KEPT_STREAM_IDLE_MS = 4_000

/** The part of a stream `@helia/bitswap` 4.0.19's network uses to send one message. */
export type SendingStream = Pick<Stream, 'closeRead' | 'send' | 'onDrain' | 'close' | 'abort'>

interface Kept {
  stream: Promise<Stream>
  /** Messages being written on it now. */
  users: number
  idle: ReturnType<typeof setTimeout> | undefined
}

/**
 * One outbound stream per peer for a protocol whose messages are length-prefixed and
 * independent (Bitswap), kept open between messages instead of one stream per message.
 *
 * Why: `@helia/bitswap` dials a new stream for every message it sends. Over WebRTC a new
 * stream is a new data channel, opened through both page bridges, and then a
 * multistream-select round trip: two round trips before each message's first byte, which
 * was most of the time to first byte of a missed file between two browsers. Receivers
 * (Helia, Kubo/boxo, Cairn) read any number of messages from one stream, as the spec allows.
 *
 * `libp2pFor` gives the library a libp2p whose `dialProtocol(peer, protocol)` returns a
 * lease on the peer's kept stream: `close` ends the lease (the stream stays open until it
 * has been idle for `idleMs`), `abort` ends the stream, so the next message dials again.
 */
export class KeptStreams {
  private readonly kept = new Map<string, Kept>()
  private readonly protocol: string
  private readonly idleMs: number

  constructor (protocol: string, idleMs = KEPT_STREAM_IDLE_MS) {
    this.protocol = protocol
    this.idleMs = idleMs
  }

  /** `libp2p` with `dialProtocol` of this protocol answered by a lease; everything else as is. */
  libp2pFor (libp2p: Libp2p): Libp2p {
    return new Proxy(libp2p, {
      get: (target, property) => {
        if (property === 'dialProtocol') {
          return async (peer: PeerId, protocols: string | string[], options: AbortOptions & { runOnLimitedConnection?: boolean } = {}) => {
            if (protocols !== this.protocol && !(Array.isArray(protocols) && protocols.length === 1 && protocols[0] === this.protocol)) {
              return target.dialProtocol(peer, protocols, options)
            }
            // The library uses only `SendingStream`'s part of the stream (its version is pinned).
            return await this.lease(target, peer, options) as unknown as Stream
          }
        }
        const value: unknown = Reflect.get(target, property, target)
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
      }
    })
  }

  /** Streams kept open now. */
  size (): number {
    return this.kept.size
  }

  /** Closes every kept stream (the node is stopping). */
  async closeAll (): Promise<void> {
    const all = [...this.kept.values()]
    this.kept.clear()
    await Promise.all(all.map(async kept => {
      clearTimeout(kept.idle)
      const stream = await kept.stream.catch(() => undefined)
      await stream?.close().catch(err => { stream.abort(err as Error) })
    }))
  }

  /** A lease on the peer's kept stream, dialling one when there is none that can be written to. */
  async lease (libp2p: Pick<Libp2p, 'dialProtocol'>, peer: PeerId, options: AbortOptions & { runOnLimitedConnection?: boolean }): Promise<SendingStream> {
    const key = peer.toString()
    let kept = this.kept.get(key)
    if (kept !== undefined && !(await writable(kept))) {
      if (this.kept.get(key) === kept) this.kept.delete(key)
      kept = undefined
    }
    if (kept === undefined) {
      kept = { stream: this.dial(libp2p, peer, options), users: 0, idle: undefined }
      this.kept.set(key, kept)
      const dialled = kept
      dialled.stream.then(stream => {
        stream.addEventListener('close', () => { if (this.kept.get(key) === dialled) this.kept.delete(key) }, { once: true })
      }, () => { if (this.kept.get(key) === dialled) this.kept.delete(key) })
    }
    kept.users++
    clearTimeout(kept.idle)
    kept.idle = undefined
    let stream: Stream
    try {
      stream = await kept.stream
    } catch (err) {
      kept.users--
      throw err
    }
    return this.leaseOn(key, kept, stream)
  }

  private async dial (libp2p: Pick<Libp2p, 'dialProtocol'>, peer: PeerId, options: AbortOptions & { runOnLimitedConnection?: boolean }): Promise<Stream> {
    // The stream outlives this message, so it is not tied to the message's signal.
    const stream = await libp2p.dialProtocol(peer, this.protocol, { runOnLimitedConnection: options.runOnLimitedConnection, signal: options.signal })
    await stream.closeRead()
    return stream
  }

  private leaseOn (key: string, kept: Kept, stream: Stream): SendingStream {
    let ended = false
    const end = (): void => {
      if (ended) return
      ended = true
      kept.users--
      if (kept.users === 0 && this.kept.get(key) === kept) {
        kept.idle = setTimeout(() => {
          if (this.kept.get(key) !== kept || kept.users > 0) return
          this.kept.delete(key)
          stream.close().catch(err => {
            log('closing the kept stream to %s failed: %s', key, (err as Error).message)
            stream.abort(err as Error)
          })
        }, this.idleMs)
      }
    }
    return {
      closeRead: async () => {},
      send: data => stream.send(data),
      onDrain: async options => { await stream.onDrain(options) },
      close: async () => { end() },
      abort: err => {
        if (this.kept.get(key) === kept) this.kept.delete(key)
        end()
        stream.abort(err)
      }
    }
  }
}

/** Whether a kept stream (once dialled) can still carry messages. */
async function writable (kept: Kept): Promise<boolean> {
  const stream = await kept.stream.catch(() => undefined)
  return stream !== undefined && stream.status === 'open' && stream.writeStatus === 'writable'
}
