import type { FetchProgress } from '../../content/fetch-session.ts'
import type { PutNodeInput } from '../../content/dag/put-node.ts'
import type { ResolvedNode } from '../../content/dag/resolve-path.ts'
import type { NameChain } from '../../names/name-chain.ts'
import { InvalidParamsError } from '../errors.ts'
import { fields, method, text } from '../method.ts'

const CODECS = new Set(['dag-cbor', 'dag-json', 'raw'])
const HASHES = new Set(['sha2-256', 'blake3'])

/** Creating and resolving DAG nodes (the explorer). */
export const dagMethods = {
  /** Stores DAG-JSON as a block; content-addressed, so sending it again changes nothing. */
  'dag.put': method<PutNodeInput, { cid: string, size: number }>({
    idempotent: true,
    params: value => {
      const p = fields(value, 'dag.put')
      const input: PutNodeInput = { json: text(p, 'json', 'dag.put') }
      if (p.codec !== undefined) {
        if (typeof p.codec !== 'string' || !CODECS.has(p.codec)) throw new InvalidParamsError('dag.put takes "codec" as dag-cbor, dag-json or raw')
        input.codec = p.codec as PutNodeInput['codec']
      }
      if (p.hash !== undefined) {
        if (typeof p.hash !== 'string' || !HASHES.has(p.hash)) throw new InvalidParamsError('dag.put takes "hash" as sha2-256 or blake3')
        input.hash = p.hash as PutNodeInput['hash']
      }
      return input
    }
  }),
  /**
   * Resolves `/ipfs/<cid>/path` to the value it ends at, fetching blocks that are not stored
   * (progress: what has been fetched so far; cancellable). `/ipns/<name>/path` is resolved
   * through the name first, and the answer carries the chain of names followed.
   */
  'dag.get': method<{ path: string }, ResolvedNode & { name?: NameChain }, FetchProgress>({
    idempotent: true,
    params: value => ({ path: text(fields(value, 'dag.get'), 'path', 'dag.get') })
  })
}
