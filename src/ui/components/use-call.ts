import { useEffect, useRef, useState } from 'preact/hooks'
import type { RpcMethod, RpcParams, RpcProgress, RpcResult } from '../../rpc/protocol.ts'
import { rpc } from '../rpc.ts'

/** One call's state, with its latest progress event while it runs. */
export type CallWithProgress<M extends RpcMethod> =
  | { status: 'idle' }
  | { status: 'running', progress?: RpcProgress<M> }
  | { status: 'done', value: RpcResult<M> }
  | { status: 'error', error: Error }
  | { status: 'cancelled' }

/** What `useCall` gives: the state, `start` and `cancel` (which stops the work in the worker). */
export interface Call<M extends RpcMethod> {
  state: CallWithProgress<M>
  start: (params: RpcParams<M>) => void
  cancel: () => void
}

/**
 * A long call the user starts and may cancel, with progress events: "fetch everything", or a
 * resolve that has to fetch. Leaving the view cancels it.
 */
export function useCall<M extends RpcMethod> (method: M, timeout = 60_000): Call<M> {
  const [state, setState] = useState<CallWithProgress<M>>({ status: 'idle' })
  const running = useRef<AbortController | null>(null)
  useEffect(() => () => { running.current?.abort() }, [])
  const start = (params: RpcParams<M>): void => {
    running.current?.abort()
    const controller = new AbortController()
    running.current = controller
    setState({ status: 'running' })
    rpc.call(method, params, { signal: controller.signal, timeout, onProgress: progress => { if (running.current === controller) setState({ status: 'running', progress }) } }).then(
      value => { if (running.current === controller) setState({ status: 'done', value }) },
      (error: Error) => { if (running.current === controller) setState(controller.signal.aborted ? { status: 'cancelled' } : { status: 'error', error }) }
    )
  }
  const cancel = (): void => {
    const controller = running.current
    if (controller === null) return
    controller.abort(new DOMException('cancelled', 'AbortError'))
    setState({ status: 'cancelled' })
  }
  return { state, start, cancel }
}
