import type { JSX } from 'preact'
import { signal } from '@preact/signals'
import { useEffect, useState } from 'preact/hooks'
import { formatBytes } from '../../lib/format-bytes.ts'
import type { RpcResult } from '../../rpc/protocol.ts'
import { useRpc } from './use-rpc.ts'

/** Bumped whenever the UI stores something, so the summary refreshes. */
export const repoVersion = signal(0)

/** How often the summary refreshes on its own (fetches from the gateway or other tabs store blocks too). */
const REFRESH_MS = 15_000

/** Blocks stored, their size, and the browser's storage quota. */
export function RepoSummary (): JSX.Element {
  const [tick, setTick] = useState(0)
  useEffect(() => {
    const timer = setInterval(() => { setTick(t => t + 1) }, REFRESH_MS)
    return () => { clearInterval(timer) }
  }, [])
  const state = useRpc('repo.stat', {}, `${repoVersion.value}/${tick}`)
  // While a refresh runs, the last numbers stay on screen.
  const [shown, setShown] = useState<RpcResult<'repo.stat'> | undefined>(undefined)
  useEffect(() => { if (state.status === 'done') setShown(state.value) }, [state])
  const current = state.status === 'done' ? state.value : shown
  if (current === undefined) return <span class='repo muted'>…</span>
  const { blocks, bytes, quota } = current
  return (
    <span class='repo' data-testid='repo-summary'>
      {blocks} blocks · {formatBytes(bytes)}{quota !== undefined && ` of ${formatBytes(quota)} quota`}
    </span>
  )
}
