import type { RpcHandlers } from '../rpc/server.ts'
import { blockHandlers } from './handlers/blocks.ts'
import { carHandlers } from './handlers/car.ts'
import { unixfsHandlers } from './handlers/unixfs.ts'
import { dagHandlers } from './handlers/dag.ts'
import { nameHandlers } from './handlers/names.ts'
import { exchangeHandlers } from './handlers/exchange.ts'
import { libraryHandlers } from './handlers/library.ts'
import { networkHandlers } from './handlers/network.ts'
import { remoteHandlers } from './handlers/remote.ts'
import { roomHandlers } from './handlers/rooms.ts'

/** Every RPC method's handler in the worker, one module per area (as `rpc/methods/`). Each starts the node lazily. */
export const rpcHandlers: RpcHandlers = { ...dagHandlers, ...blockHandlers, ...carHandlers, ...networkHandlers, ...roomHandlers, ...exchangeHandlers, ...libraryHandlers, ...unixfsHandlers, ...nameHandlers, ...remoteHandlers }
