/**
 * The postMessage RPC between the UI and the Service Worker: the methods (declared per area
 * in `methods/`, each with its parameter check, idempotency and types) and the messages on
 * the wire.
 */
import type { SerializedError } from './errors.ts'
import type { MethodSpec } from './method.ts'
import { blockMethods } from './methods/blocks.ts'
import { carMethods } from './methods/car.ts'
import { dagMethods } from './methods/dag.ts'
import { exchangeMethods } from './methods/exchange.ts'
import { libraryMethods } from './methods/library.ts'
import { nameMethods } from './methods/names.ts'
import { networkMethods } from './methods/network.ts'
import { remoteMethods } from './methods/remote.ts'
import { roomMethods } from './methods/rooms.ts'
import { unixfsMethods } from './methods/unixfs.ts'

/** Every method, by name. A new area is a new file in `methods/` and one entry here. */
export const METHODS = { ...dagMethods, ...blockMethods, ...carMethods, ...networkMethods, ...roomMethods, ...exchangeMethods, ...libraryMethods, ...unixfsMethods, ...nameMethods, ...remoteMethods }

/** A method name. */
export type RpcMethod = keyof typeof METHODS
type SpecOf<M extends RpcMethod> = (typeof METHODS)[M]
/** Parameters of a method. */
export type RpcParams<M extends RpcMethod> = SpecOf<M> extends MethodSpec<infer P, unknown, unknown> ? P : never
/** Result of a method. */
export type RpcResult<M extends RpcMethod> = SpecOf<M> extends MethodSpec<unknown, infer R, unknown> ? R : never
/** Detail of a method's `progress` events (`never` for methods without progress). */
export type RpcProgress<M extends RpcMethod> = SpecOf<M> extends MethodSpec<unknown, unknown, infer E> ? E : never

/** True for a method a client may send again after a timeout. */
export function isIdempotent (method: RpcMethod): boolean {
  return Object.hasOwn(METHODS, method) && METHODS[method].idempotent
}

/** Marks Cairn's messages among others a Service Worker may receive. */
export const RPC_TAG = 'cairn-rpc/1'

/** A call, posted to the SW with a MessagePort for the replies. */
export interface RpcRequest<M extends RpcMethod = RpcMethod> {
  tag: typeof RPC_TAG
  id: number
  method: M
  params: RpcParams<M>
}


/** Sent by the client on the request's port when the caller aborts: the method stops. */
export interface RpcCancel {
  kind: 'cancel'
  id: number
}

/** The messages the SW sends back on the request's port. */
export type RpcReply =
  | { kind: 'result', id: number, result: unknown }
  | { kind: 'error', id: number, error: SerializedError }
  | { kind: 'event', id: number, event: { type: string, detail: unknown } }
