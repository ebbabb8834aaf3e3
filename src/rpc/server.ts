import { logger } from '@libp2p/logger'
import { RpcForbiddenError, serializeError, UnknownMethodError } from './errors.ts'
import { METHODS, RPC_TAG, type RpcCancel, type RpcMethod, type RpcParams, type RpcProgress, type RpcReply, type RpcRequest, type RpcResult } from './protocol.ts'

const log = logger('cairn:rpc:server')

/** What a handler gets besides its params. */
export interface RpcContext<M extends RpcMethod = RpcMethod> {
  /** Sends a progress event to the caller. */
  progress(detail: RpcProgress<M>): void
  /** Aborts when the caller cancels the call (long methods stop their work). */
  signal: AbortSignal
}

/** The handler of one method: gets checked parameters. */
export type RpcHandler<M extends RpcMethod> = (params: RpcParams<M>, context: RpcContext<M>) => Promise<RpcResult<M>> | RpcResult<M>

/** Handlers by method; the worker serves every method, a test double only those it needs. */
export type RpcHandlers = { [M in RpcMethod]?: RpcHandler<M> }

/** True when a request looks like one of ours. */
export function isRpcRequest (data: unknown): data is RpcRequest {
  return typeof data === 'object' && data !== null && (data as { tag?: unknown }).tag === RPC_TAG &&
    typeof (data as { id?: unknown }).id === 'number' && typeof (data as { method?: unknown }).method === 'string'
}

/**
 * Answers RPC requests on the port that came with them. `allowed` is checked first, so
 * callers that are not app pages get `RpcForbiddenError` and nothing runs; then the method's
 * parameters (`InvalidParamsError` or the method's own named error, and nothing runs).
 */
export async function serveRequest (handlers: RpcHandlers, request: RpcRequest, port: MessagePort, allowed: boolean): Promise<void> {
  const reply = (message: RpcReply): void => port.postMessage(message)
  const cancel = new AbortController()
  port.onmessage = (message: MessageEvent<RpcCancel>) => {
    if (message.data?.kind === 'cancel' && message.data.id === request.id) cancel.abort(new DOMException('the caller cancelled', 'AbortError'))
  }
  try {
    if (!allowed) throw new RpcForbiddenError('only pages of this app may call the node')
    const handler = Object.hasOwn(METHODS, request.method) ? handlers[request.method] as RpcHandler<RpcMethod> | undefined : undefined
    if (handler === undefined) throw new UnknownMethodError(`unknown method "${request.method}"`)
    const params = METHODS[request.method].params(request.params) as RpcParams<RpcMethod>
    const context: RpcContext = { progress: detail => reply({ kind: 'event', id: request.id, event: { type: 'progress', detail } }), signal: cancel.signal }
    const result = await handler(params, context)
    reply({ kind: 'result', id: request.id, result })
  } catch (err) {
    log('%s failed: %s', request.method, (err as Error)?.message)
    reply({ kind: 'error', id: request.id, error: serializeError(err) })
  } finally {
    port.close()
  }
}
