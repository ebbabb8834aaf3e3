import { isRpcRequest, serveRequest } from '../../rpc/server.ts'
import type { MessageRoute } from '../route.ts'
import { rpcHandlers } from '../rpc-handlers.ts'

/** An RPC call with its reply port. Callers that are not app pages get `RpcForbiddenError`. */
export const rpcMessage: MessageRoute = {
  name: 'rpc',
  appOnly: false,
  canHandle: (data, { port }) => isRpcRequest(data) && port !== undefined,
  handle: (data, { event, port, fromApp }) => {
    if (!isRpcRequest(data) || port === undefined) return
    event.waitUntil(serveRequest(rpcHandlers, data, port, fromApp))
  }
}
