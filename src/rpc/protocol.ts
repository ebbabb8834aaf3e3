/**
 * The postMessage RPC between the UI and the Service Worker: method names, their
 * parameters and results, and the messages on the wire.
 */
import type { CidInfo } from '../node/cid-inspect.ts'
import type { BlockStat, RepoStat } from '../node/cairn-node.ts'
import type { PutNodeInput } from '../node/dag/put-node.ts'
import type { ResolvedNode } from '../node/dag/resolve-path.ts'
import type { CarImportSummary } from '../node/car/car-import.ts'
import type { ImportRecord } from '../node/database.ts'

/** Every method: its params and result. */
export interface RpcMethods {
  'dag.put': { params: PutNodeInput, result: { cid: string, size: number } }
  'dag.get': { params: { path: string }, result: ResolvedNode }
  'block.get': { params: { cid: string }, result: { bytes: Uint8Array } }
  'block.stat': { params: { cid: string }, result: BlockStat }
  'cid.inspect': { params: { cid: string }, result: CidInfo }
  'repo.stat': { params: Record<string, never>, result: RepoStat }
  /** Imports a CAR file; emits `progress` events (`CarImportProgress`) while it runs. */
  'car.import': { params: { file: Blob, name: string }, result: CarImportSummary }
  /** Finished CAR imports, newest first. */
  'car.imports': { params: Record<string, never>, result: ImportRecord[] }
}

/** A method name. */
export type RpcMethod = keyof RpcMethods
/** Parameters of a method. */
export type RpcParams<M extends RpcMethod> = RpcMethods[M]['params']
/** Result of a method. */
export type RpcResult<M extends RpcMethod> = RpcMethods[M]['result']

/**
 * Methods the client may send again after a timeout (the SW may have been restarted): reads,
 * and `dag.put`, which is content-addressed. A CAR import is not retried: it reports its
 * own outcome, and one cut short is rolled back when the node restarts.
 */
export const idempotentMethods: ReadonlySet<RpcMethod> = new Set<RpcMethod>(['dag.put', 'dag.get', 'block.get', 'block.stat', 'cid.inspect', 'repo.stat', 'car.imports'])

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
