import type { JSX } from 'preact'
import { useEffect, useRef } from 'preact/hooks'
import type { FetchDagProgress } from '../../exchange/fetch-dag.ts'
import { formatBytes } from '../../lib/format-bytes.ts'
import { sourcesText } from '../format.ts'
import { ErrorMessage } from './error-message.tsx'
import { repoVersion } from './repo-summary.tsx'
import { useCall } from './use-call.ts'
import { count } from '../../lib/count.ts'

function rate (bytes: number, since: number): string {
  const seconds = (Date.now() - since) / 1000
  return seconds > 0.2 ? `${formatBytes(bytes / seconds)}/s` : '…'
}

function Running ({ progress, since, cancel }: { progress: FetchDagProgress | undefined, since: number, cancel: () => void }): JSX.Element {
  return (
    <div class='progress' data-testid='fetch-progress'>
      <progress value={progress?.blocks ?? 0} max={progress?.known ?? 1} />
      <span>
        {progress === undefined
          ? 'Walking the DAG…'
          : `${progress.blocks} of ${count(progress.known, 'block')} known so far · ${formatBytes(progress.bytes)} · fetched ${progress.fetchedBlocks} (${formatBytes(progress.fetchedBytes)}, ${rate(progress.fetchedBytes, since)})` +
            (progress.missing > 0 ? ` · ${progress.missing} missing` : '')}
      </span>
      <button type='button' class='secondary' onClick={cancel}>Cancel</button>
    </div>
  )
}

/**
 * "Fetch everything": stores every block of the DAG under `cid` so it works offline, with a
 * progress bar, cancel, and a summary. Running it again resumes (stored blocks are kept).
 */
export function FetchEverything ({ cid, label = 'Fetch everything', onDone }: { cid: string, label?: string, onDone?: () => void }): JSX.Element {
  const { state, start, cancel } = useCall('dag.fetch', 120_000)
  const since = useRef(0)
  const begin = (): void => { since.current = Date.now(); start({ cid }) }
  useEffect(() => {
    if (state.status === 'done' || state.status === 'cancelled') repoVersion.value++
    if (state.status === 'done') onDone?.()
  }, [state.status])
  return (
    <div class='fetch-everything' data-testid='fetch-everything'>
      {state.status !== 'running' && (
        <button type='button' class='secondary' onClick={begin} title='Store every block of this DAG so that it works offline'>
          {state.status === 'idle' ? label : `${label} again`}
        </button>
      )}
      {state.status === 'running' && <Running progress={state.progress} since={since.current} cancel={cancel} />}
      {state.status === 'cancelled' && <span class='muted' role='status'> Cancelled. Blocks fetched so far are kept; fetch again to go on.</span>}
      {state.status === 'error' && <ErrorMessage error={state.error} />}
      {state.status === 'done' && (
        <p class={state.value.complete ? 'stored' : 'muted'} role='status' data-testid='fetch-summary'>
          {state.value.complete
            ? `Available offline: all ${count(state.value.blocks, 'block')} (${formatBytes(state.value.bytes)}) are stored`
            : `Incomplete: ${count(state.value.missing, 'block')} could not be fetched (for example ${state.value.missingCids[0] ?? ''}); fetch again to retry`}
          {state.value.fetchedBlocks > 0
            ? `; ${state.value.fetchedBlocks} fetched now (${formatBytes(state.value.fetchedBytes)}) from ${sourcesText(state.value.sources)}`
            : '; nothing needed fetching'}
          {` in ${(state.value.ms / 1000).toFixed(1)} s.`}
        </p>
      )}
    </div>
  )
}
