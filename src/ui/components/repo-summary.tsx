import type { JSX } from 'preact'
import { signal } from '@preact/signals'
import { useEffect, useState } from 'preact/hooks'
import { formatBytes } from '../../lib/format-bytes.ts'
import type { RpcResult } from '../../rpc/protocol.ts'
import { useRpc } from './use-rpc.ts'
import { count } from '../../lib/count.ts'

/** Bumped whenever the UI stores something, so the summary refreshes. */
export const repoVersion = signal(0)

/** How often the summary refreshes on its own (fetches from the gateway or other tabs store blocks too). */
const REFRESH_MS = 15_000

/**
 * Two numbers that count different things, each said: the IPFS blocks this node stores (and
 * their size), and what this site keeps in the browser as a whole (the app itself, its
 * databases and caches, as the browser counts it) against the site's quota.
 */
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
  const { blocks, bytes, usage, quota } = current
  return (
    <span class='repo'>
      <span data-testid='repo-summary' title="IPFS blocks in this node's store, and their size">{count(blocks, 'block')} stored · {formatBytes(bytes)}</span>
      {quota !== undefined && <span class='muted' data-testid='site-storage' title='Everything this site keeps in the browser (the app, its databases and caches), as the browser counts it, of the quota it allows'> · site storage {formatBytes(usage ?? 0)} of {formatBytes(quota)}</span>}
    </span>
  )
}
