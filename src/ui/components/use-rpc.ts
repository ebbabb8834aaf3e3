import { useEffect, useState } from 'preact/hooks'
import type { RpcMethod, RpcParams, RpcResult } from '../../rpc/protocol.ts'
import { rpc } from '../rpc.ts'

/** The state of one call: not started, running, done, or failed. */
export type CallState<T> =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'done', value: T }
  | { status: 'error', error: Error }

/** Calls `method` whenever `key` changes (skipped when `params` is null); stale replies are dropped. */
export function useRpc<M extends RpcMethod> (method: M, params: RpcParams<M> | null, key: string): CallState<RpcResult<M>> {
  const [state, setState] = useState<CallState<RpcResult<M>>>({ status: 'idle' })
  useEffect(() => {
    if (params === null) { setState({ status: 'idle' }); return }
    let current = true
    setState({ status: 'loading' })
    rpc.call(method, params).then(
      value => { if (current) setState({ status: 'done', value }) },
      (error: Error) => { if (current) setState({ status: 'error', error }) }
    )
    return () => { current = false }
  }, [method, key])
  return state
}
