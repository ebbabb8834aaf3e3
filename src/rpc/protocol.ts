/**
 * The postMessage RPC between the UI and the Service Worker: method names, their
 * parameters and results, and the messages on the wire.
 */
import type { CidInfo } from '../node/cid-inspect.ts'
import type { BlockStat, RepoStat } from '../node/cairn-node.ts'
import type { PutNodeInput } from '../node/dag/put-node.ts'
import type { ResolvedNode } from '../node/dag/resolve-path.ts'
import type { CarImportSummary } from '../node/car/car-import.ts'
import type { ImportRecord } from '../node/car/import-log.ts'
import type { ConnectionKind } from '../p2p/connection-kind.ts'
import type { EffectiveSettings, NetworkStatus } from '../p2p/network-service.ts'
import type { PeersSnapshot } from '../p2p/peers.ts'
import type { ThroughputResult } from '../p2p/throughput.ts'
import type { NetworkSettings } from '../p2p/settings.ts'
import type { DropCounts, RoomMember, RoomSummary } from '../rooms/room-service.ts'
import type { StoredMessage } from '../rooms/room-store.ts'

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
  /** The node's connectivity; starts the network if it is not running. */
  'node.status': { params: Record<string, never>, result: NetworkStatus }
  'settings.get': { params: Record<string, never>, result: { settings: NetworkSettings, effective: EffectiveSettings } }
  /** Saves the settings and restarts the network with them (same identity, same rooms). */
  'settings.set': { params: NetworkSettings, result: { settings: NetworkSettings, effective: EffectiveSettings } }
  'peers.list': { params: Record<string, never>, result: PeersSnapshot }
  'peers.dial': { params: { address: string }, result: { peerId: string, kind: ConnectionKind } }
  'peers.disconnect': { params: { peerId: string }, result: Record<string, never> }
  'peers.ping': { params: { peerId: string }, result: { rtt: number } }
  /** Sends `bytes` (default 8 MiB) to a connected peer and times it; emits `progress` events (`{ sent, total }`). */
  'peers.throughput': { params: { peerId: string, bytes?: number }, result: ThroughputResult }
  'rooms.list': { params: Record<string, never>, result: { rooms: RoomSummary[], nick: string, drops: DropCounts } }
  'rooms.join': { params: { room: string }, result: Record<string, never> }
  'rooms.leave': { params: { room: string }, result: Record<string, never> }
  'rooms.nick': { params: { nick: string }, result: { nick: string } }
  'rooms.send': { params: { room: string, text: string }, result: { message: StoredMessage, recipients: number } }
  'rooms.history': { params: { room: string, limit?: number }, result: { messages: StoredMessage[], members: RoomMember[] } }
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
export const idempotentMethods: ReadonlySet<RpcMethod> = new Set<RpcMethod>([
  'dag.put', 'dag.get', 'block.get', 'block.stat', 'cid.inspect', 'repo.stat', 'car.imports',
  'node.status', 'settings.get', 'peers.list', 'rooms.list', 'rooms.history', 'rooms.join', 'rooms.nick'
])

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
