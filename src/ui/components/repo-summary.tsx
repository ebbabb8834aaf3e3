import type { JSX } from 'preact'
import { signal } from '@preact/signals'
import { formatBytes } from '../../lib/format-bytes.ts'
import { useRpc } from './use-rpc.ts'

/** Bumped whenever the UI stores something, so the summary refreshes. */
export const repoVersion = signal(0)

/** Blocks stored, their size, and the browser's storage quota. */
export function RepoSummary (): JSX.Element {
  const state = useRpc('repo.stat', {}, String(repoVersion.value))
  if (state.status !== 'done') return <span class='repo muted'>…</span>
  const { blocks, bytes, quota } = state.value
  return (
    <span class='repo' data-testid='repo-summary'>
      {blocks} blocks · {formatBytes(bytes)}{quota !== undefined && ` of ${formatBytes(quota)} quota`}
    </span>
  )
}
