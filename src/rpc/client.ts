import { logger } from '@libp2p/logger'
import { deserializeError, NoServiceWorkerError, RpcTimeoutError } from './errors.ts'
import { isIdempotent, RPC_TAG, type RpcCancel, type RpcMethod, type RpcParams, type RpcProgress, type RpcReply, type RpcRequest, type RpcResult } from './protocol.ts'

const log = logger('cairn:rpc:client')

/** Anything a request can be posted to: the active Service Worker, or a port in tests. */
export interface RpcTarget {
  postMessage(message: unknown, transfer: Transferable[]): void
}

/** Options for the client. */
export interface RpcClientInit {
  /** Finds the current target; called again before a retry, since the SW may have changed. */
  target: () => Promise<RpcTarget>
  /** Milliseconds to wait for a reply before retrying or failing (default 15 s). */
  timeout?: number
  /** Extra attempts for idempotent methods after a timeout (default 2). */
  retries?: number
}

/** Options for one call. */
export interface CallOptions<M extends RpcMethod = RpcMethod> {
  signal?: AbortSignal
  /** Milliseconds to wait for the result, or for the next progress event. */
  timeout?: number
  /** Receives the progress events the method sends before its result. */
  onProgress?: (detail: RpcProgress<M>) => void
}

/** Calls methods in the Service Worker over MessageChannels, one channel per call. */
export class RpcClient {
  private readonly init: Required<RpcClientInit>
  private nextId = 1

  constructor (init: RpcClientInit) {
    this.init = { timeout: 15_000, retries: 2, ...init }
  }

  /**
   * Calls `method`; rejects with the remote error (by name), `RpcTimeoutError` or an abort.
   * Aborting `signal` also tells the worker, which stops the method's work.
   */
  async call<M extends RpcMethod> (method: M, params: RpcParams<M>, options: CallOptions<M> = {}): Promise<RpcResult<M>> {
    const attempts = isIdempotent(method) ? this.init.retries + 1 : 1
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(method, params, options)
      } catch (err) {
        if (!(err instanceof RpcTimeoutError) || attempt >= attempts) throw err
        log('%s timed out (attempt %d), retrying', method, attempt)
      }
    }
  }

  private async once<M extends RpcMethod> (method: M, params: RpcParams<M>, options: CallOptions<M>): Promise<RpcResult<M>> {
    options.signal?.throwIfAborted()
    const target = await this.init.target()
    const id = this.nextId++
    const channel = new MessageChannel()
    const timeout = options.timeout ?? this.init.timeout
    return new Promise<RpcResult<M>>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer)
        options.signal?.removeEventListener('abort', onAbort)
        channel.port1.close()
      }
      const onAbort = (): void => {
        const cancel: RpcCancel = { kind: 'cancel', id }
        channel.port1.postMessage(cancel)
        finish()
        reject(options.signal?.reason)
      }
      const expire = (): void => { finish(); reject(new RpcTimeoutError(`${method} got no answer within ${timeout} ms`)) }
      let timer = setTimeout(expire, timeout)
      options.signal?.addEventListener('abort', onAbort, { once: true })
      channel.port1.onmessage = (message: MessageEvent<RpcReply>) => {
        const reply = message.data
        if (reply.id !== id) return
        if (reply.kind === 'event') {
          // A long call that reports progress is alive: restart the clock.
          clearTimeout(timer)
          timer = setTimeout(expire, timeout)
          if (reply.event.type === 'progress') options.onProgress?.(reply.event.detail as RpcProgress<M>)
          return
        }
        finish()
        if (reply.kind === 'result') resolve(reply.result as RpcResult<M>)
        else reject(deserializeError(reply.error))
      }
      const request: RpcRequest<M> = { tag: RPC_TAG, id, method, params }
      target.postMessage(request, [channel.port2])
    })
  }
}

/**
 * The target for pages: the Service Worker that controls the page, or the registration's
 * active worker while the page is not controlled yet (first load).
 */
export async function serviceWorkerTarget (): Promise<RpcTarget> {
  if (!('serviceWorker' in navigator)) throw new NoServiceWorkerError('this browser has no Service Workers, which Cairn needs')
  const controller = navigator.serviceWorker.controller
  if (controller !== null) return controller
  const registration = await navigator.serviceWorker.ready
  if (registration.active === null) throw new NoServiceWorkerError('the Service Worker is not active')
  return registration.active
}
