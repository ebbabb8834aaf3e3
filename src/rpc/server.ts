import { logger } from '@libp2p/logger'
import { RpcForbiddenError, serializeError, UnknownMethodError } from './errors.ts'
import { RPC_TAG, type RpcMethod, type RpcParams, type RpcReply, type RpcRequest, type RpcResult } from './protocol.ts'

const log = logger('cairn:rpc:server')

/** What a handler gets besides its params. */
export interface RpcContext {
  /** Sends a progress event to the caller. */
  emit(type: string, detail: unknown): void
}

/** One handler per method. */
export type RpcHandlers = {
  [M in RpcMethod]: (params: RpcParams<M>, context: RpcContext) => Promise<RpcResult<M>> | RpcResult<M>
}

/** True when a request looks like one of ours. */
export function isRpcRequest (data: unknown): data is RpcRequest {
  return typeof data === 'object' && data !== null && (data as { tag?: unknown }).tag === RPC_TAG &&
    typeof (data as { id?: unknown }).id === 'number' && typeof (data as { method?: unknown }).method === 'string'
}

/**
 * Answers RPC requests on the port that came with them. `allowed` is checked first, so
 * callers that are not app pages get `RpcForbiddenError` and nothing runs.
 */
export async function serveRequest (handlers: RpcHandlers, request: RpcRequest, port: MessagePort, allowed: boolean): Promise<void> {
  const reply = (message: RpcReply): void => port.postMessage(message)
  try {
    if (!allowed) throw new RpcForbiddenError('only pages of this app may call the node')
    if (!Object.hasOwn(handlers, request.method)) throw new UnknownMethodError(`unknown method "${request.method}"`)
    const handler = handlers[request.method] as (p: unknown, c: RpcContext) => Promise<unknown> | unknown
    const context: RpcContext = { emit: (type, detail) => reply({ kind: 'event', id: request.id, event: { type, detail } }) }
    const result = await handler(request.params, context)
    reply({ kind: 'result', id: request.id, result })
  } catch (err) {
    log('%s failed: %s', request.method, (err as Error)?.message)
    reply({ kind: 'error', id: request.id, error: serializeError(err) })
  } finally {
    port.close()
  }
}
