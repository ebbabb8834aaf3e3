import type { JSX } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import type { CarImportProgress, CarImportSummary } from '../../content/car/car-import.ts'
import { ErrorMessage } from '../components/error-message.tsx'
import { repoVersion } from '../components/repo-summary.tsx'
import { useRpc } from '../components/use-rpc.ts'
import { formatBytes } from '../../lib/format-bytes.ts'
import { pendingImport } from '../picked-files.ts'
import { routeHash } from '../router.ts'
import { rpc } from '../rpc.ts'
import { count } from '../../lib/count.ts'

type ImportState =
  | { status: 'idle' }
  | { status: 'running', name: string, progress: CarImportProgress }
  | { status: 'done', name: string, summary: CarImportSummary }
  | { status: 'error', name: string, error: Error }

/** Links to explore a root and open it through the gateway. */
function RootLinks ({ cid }: { cid: string }): JSX.Element {
  return (
    <li>
      <code>{cid}</code>{' '}
      <a href={routeHash({ view: 'explore', path: `/ipfs/${cid}` })}>explore</a> ·{' '}
      <a href={`/ipfs/${cid}/`} target='_blank' rel='noopener noreferrer'>open</a>
    </li>
  )
}

function Summary ({ name, summary }: { name: string, summary: CarImportSummary }): JSX.Element {
  const seconds = summary.ms / 1000
  return (
    <div class='summary' data-testid='import-summary' role='status'>
      <p><strong>Imported {name}</strong> (CARv{summary.version}): {count(summary.blocks, 'block')}, {formatBytes(summary.bytes)},{' '}
        {summary.newBlocks} new, in {seconds.toFixed(2)} s ({formatBytes(summary.bytes / Math.max(seconds, 0.001))}/s).</p>
      <p>Roots:</p>
      <ul data-testid='import-roots'>{summary.roots.map(cid => <RootLinks key={cid} cid={cid} />)}</ul>
      {summary.missingRoots.length > 0 && <p class='hint'>The CAR does not hold the block of {summary.missingRoots.length} root(s); they will not open.</p>}
    </div>
  )
}

/** Pick or drop a `.car` file; see it stream in, verified, with progress; then open it. */
export function ImportView (): JSX.Element {
  const [state, setState] = useState<ImportState>({ status: 'idle' })
  const [dragging, setDragging] = useState(false)
  const history = useRpc('car.imports', {}, `${repoVersion.value}`)

  const start = (file: File | undefined): void => {
    if (file === undefined || state.status === 'running') return
    const name = file.name
    setState({ status: 'running', name, progress: { bytesRead: 0, totalBytes: file.size, blocks: 0 } })
    rpc.call('car.import', { file, name }, {
      timeout: 60_000,
      onProgress: progress => setState({ status: 'running', name, progress })
    }).then(
      summary => { setState({ status: 'done', name, summary }); repoVersion.value++ },
      (error: Error) => setState({ status: 'error', name, error })
    )
  }

  // A CAR opened with Cairn from the system (file handler).
  useEffect(() => {
    if (pendingImport.value === undefined) return
    const file = pendingImport.value
    pendingImport.value = undefined
    start(file)
  }, [pendingImport.value])

  return (
    <section class='import'>
      <h1>Import a CAR</h1>
      <p class='muted'>A CAR file (v1, or v2) holds blocks and their root CIDs. Every block is checked against its CID as it streams in;
        if anything is wrong, nothing from the file is kept.</p>
      <label
        class={`drop${dragging ? ' over' : ''}`}
        onDragOver={e => { e.preventDefault(); setDragging(true) }}
        onDragLeave={() => setDragging(false)}
        onDrop={e => { e.preventDefault(); e.stopPropagation(); setDragging(false); start(e.dataTransfer?.files[0]) }}
      >
        <span>Drop a .car file here, or choose one</span>
        <input type='file' accept='.car,application/vnd.ipld.car' data-testid='car-file' disabled={state.status === 'running'}
          onChange={e => { start(e.currentTarget.files?.[0]); e.currentTarget.value = '' }} />
      </label>
      {state.status === 'running' && (
        <div class='progress' data-testid='import-progress'>
          <progress value={state.progress.bytesRead} max={state.progress.totalBytes ?? undefined} />
          <span>{state.name}: {formatBytes(state.progress.bytesRead)}{state.progress.totalBytes !== undefined && ` of ${formatBytes(state.progress.totalBytes)}`} · {count(state.progress.blocks, 'block')}</span>
        </div>
      )}
      {state.status === 'done' && <Summary name={state.name} summary={state.summary} />}
      {state.status === 'error' && (
        <>
          <p>{state.name} was rejected; nothing from it was stored.</p>
          <ErrorMessage error={state.error} />
        </>
      )}
      {history.status === 'done' && history.value.length > 0 && (
        <>
          <h2>Imported before</h2>
          <ul class='imports' data-testid='import-history'>
            {history.value.map(record => (
              <li key={record.id}>
                {record.name}: {count(record.blocks, 'block')}, {formatBytes(record.bytes)}, {new Date(record.startedAt).toLocaleString()}
                <ul>{record.roots.map(cid => <RootLinks key={cid} cid={cid} />)}</ul>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}
