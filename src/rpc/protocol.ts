/**
 * The postMessage RPC between the UI and the Service Worker: method names, their
 * parameters and results, and the messages on the wire.
 */
import type { CidInfo } from '../node/cid-inspect.ts'
import type { BlockStat, RepoStat } from '../node/cairn-node.ts'
import type { PutNodeInput } from '../node/dag/put-node.ts'
import type { ResolvedNode } from '../node/dag/resolve-path.ts'

/** Every method: its params and result. */
export interface RpcMethods {
  'dag.put': { params: PutNodeInput, result: { cid: string, size: number } }
  'dag.get': { params: { path: string }, result: ResolvedNode }
  'block.get': { params: { cid: string }, result: { bytes: Uint8Array } }
  'block.stat': { params: { cid: string }, result: BlockStat }
  'cid.inspect': { params: { cid: string }, result: CidInfo }
  'repo.stat': { params: Record<string, never>, result: RepoStat }
}

/** A method name. */
export type RpcMethod = keyof RpcMethods
/** Parameters of a method. */
export type RpcParams<M extends RpcMethod> = RpcMethods[M]['params']
/** Result of a method. */
export type RpcResult<M extends RpcMethod> = RpcMethods[M]['result']

/**
 * Methods the client may send again after a timeout (the SW may have been restarted). All
 * current methods are: reads, and `dag.put`, which is content-addressed.
 */
export const idempotentMethods: ReadonlySet<RpcMethod> = new Set<RpcMethod>(['dag.put', 'dag.get', 'block.get', 'block.stat', 'cid.inspect', 'repo.stat'])

/** Marks Cairn's messages among others a Service Worker may receive. */
export const RPC_TAG = 'cairn-rpc/1'

/** A call, posted to the SW with a MessagePort for the replies. */
export interface RpcRequest<M extends RpcMethod = RpcMethod> {
  tag: typeof RPC_TAG
  id: number
  method: M
  params: RpcParams<M>
}

/** An error flattened to cross the boundary; rebuilt by name on the other side. */
export interface SerializedError {
  name: string
  message: string
  offset?: number
}

/** The messages the SW sends back on the request's port. */
export type RpcReply =
  | { kind: 'result', id: number, result: unknown }
  | { kind: 'error', id: number, error: SerializedError }
  | { kind: 'event', id: number, event: { type: string, detail: unknown } }
