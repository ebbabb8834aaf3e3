import type { JSX } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import type { AddProgress, AddSummary } from '../../add/add-files.ts'
import type { UnixfsProfile } from '../../hotpath/unixfs.ts'
import { formatBytes } from '../../lib/format-bytes.ts'
import { ErrorMessage } from '../components/error-message.tsx'
import { DownloadLink } from '../components/download-link.tsx'
import { repoVersion } from '../components/repo-summary.tsx'
import { useCall } from '../components/use-call.ts'
import { fromDrop, fromFileList, pendingAdd, type PickedEntry } from '../picked-files.ts'
import { routeHash } from '../router.ts'
import { rpc } from '../rpc.ts'
import { count } from '../../lib/count.ts'

/** Distinct top-level names of a selection: more than one is wrapped in a directory by default. */
function topLevel (entries: PickedEntry[]): number {
  return new Set(entries.map(e => e.path.split('/')[0])).size
}

function Progress ({ progress, started, cancel }: { progress?: AddProgress, started: number, cancel: () => void }): JSX.Element {
  const seconds = (performance.now() - started) / 1000
  return (
    <div class='progress' data-testid='add-progress'>
      <progress value={progress?.bytes ?? 0} max={Math.max(progress?.totalBytes ?? 1, 1)} />
      <span>
        {progress === undefined
          ? 'starting…'
          : <>{formatBytes(progress.bytes)} of {formatBytes(progress.totalBytes)} · {progress.files} of {count(progress.totalFiles, 'file')}
            {seconds > 0.5 && ` · ${formatBytes(progress.bytes / seconds)}/s`}{progress.current !== undefined && <> · <code>{progress.current}</code></>}</>}
      </span>
      <button type='button' class='secondary' onClick={cancel}>Cancel</button>
    </div>
  )
}

function Summary ({ summary }: { summary: AddSummary }): JSX.Element {
  const [copied, setCopied] = useState(false)
  const link = `/ipfs/${summary.root}`
  return (
    <div class='summary' data-testid='add-summary' role='status'>
      <p><strong>Added</strong> {count(summary.files, 'file')}{summary.folders > 0 && ` in ${count(summary.folders, 'folder')}`},{' '}
        {formatBytes(summary.bytes)} in {count(summary.blocks, 'block')} ({summary.newBlocks.toLocaleString()} new), {(summary.ms / 1000).toFixed(2)} s; pinned ({summary.profile}).</p>
      <p>Root: <code data-testid='add-root'>{summary.root}</code></p>
      <p>
        <a href={`${link}/`} target='_blank' rel='noopener noreferrer'>Open</a> ·{' '}
        <a href={routeHash({ view: 'explore', path: link })}>Explore</a> ·{' '}
        <button type='button' class='link' onClick={() => { void navigator.clipboard?.writeText(link).then(() => setCopied(true)) }}>{copied ? 'Copied' : 'Copy /ipfs/ link'}</button> ·{' '}
        <DownloadLink cid={summary.root} format='car'>Download CAR</DownloadLink>
      </p>
    </div>
  )
}

/**
 * Add files and folders as UnixFS: pick files or a folder, or drop them (folders, empty ones
 * too); choose the CID profile and whether to wrap; see progress, cancel; then open the root.
 */
export function AddView ({ share }: { share?: string }): JSX.Element {
  const [picked, setPicked] = useState<PickedEntry[]>([])
  const [profile, setProfile] = useState<UnixfsProfile>('unixfs-v1-2025')
  const [wrap, setWrap] = useState<boolean | undefined>(undefined)
  const [dragging, setDragging] = useState(false)
  const [started, setStarted] = useState(0)
  const { state, start, cancel } = useCall('unixfs.add')

  // Files dropped elsewhere, shared to Cairn or opened with it.
  useEffect(() => {
    if (pendingAdd.value === undefined) return
    setPicked(pendingAdd.value)
    pendingAdd.value = undefined
  }, [pendingAdd.value])
  useEffect(() => { if (state.status === 'done') repoVersion.value++ }, [state.status])
  // Files shared from another app (share target): held by the worker under this id.
  const [shareError, setShareError] = useState<Error | undefined>(undefined)
  useEffect(() => {
    if (share === undefined) return
    rpc.call('share.take', { id: share }).then(
      shared => { setPicked(shared.entries); location.replace(routeHash({ view: 'add' })) },
      (error: Error) => setShareError(error)
    )
  }, [share])

  const wrapped = wrap ?? topLevel(picked) > 1
  const bytes = picked.reduce((n, e) => n + (e.file?.size ?? 0), 0)
  const files = picked.filter(e => e.file !== undefined).length
  const running = state.status === 'running'
  const go = (): void => {
    setStarted(performance.now())
    start({ entries: picked.map(e => e.file === undefined ? { path: e.path } : { path: e.path, file: e.file }), profile, wrap: wrapped })
  }

  return (
    <section class='add'>
      <h1>Add files</h1>
      <p class='muted'>Files and folders become UnixFS, with the same CIDs Kubo gives for the chosen profile, and are pinned.
        If anything fails or you cancel, nothing of them is kept.</p>
      <label
        class={`drop${dragging ? ' over' : ''}`}
        onDragOver={e => { e.preventDefault(); e.stopPropagation(); setDragging(true) }}
        onDragLeave={() => setDragging(false)}
        onDrop={e => {
          e.preventDefault()
          e.stopPropagation()
          setDragging(false)
          if (e.dataTransfer !== null) void fromDrop(e.dataTransfer).then(setPicked)
        }}
      >
        <span>Drop files or folders here, or choose files</span>
        <input type='file' multiple data-testid='add-files' disabled={running} onChange={e => { setPicked(fromFileList(e.currentTarget.files ?? [])); e.currentTarget.value = '' }} />
      </label>
      <label>Or a folder: <input type='file' data-testid='add-folder' disabled={running} {...{ webkitdirectory: true }}
        onChange={e => { setPicked(fromFileList(e.currentTarget.files ?? [])); e.currentTarget.value = '' }} /></label>
      {shareError !== undefined && <ErrorMessage error={shareError} />}
      {picked.length > 0 && (
        <form class='add-options' onSubmit={e => { e.preventDefault(); go() }}>
          <p data-testid='add-selection'>{count(files, 'file')}{picked.length > files && `, ${count(picked.length - files, 'empty folder')}`}, {formatBytes(bytes)}:{' '}
            {[...new Set(picked.map(e => e.path.split('/')[0]))].slice(0, 5).join(', ')}{topLevel(picked) > 5 && ', …'}</p>
          <label>CID profile{' '}
            <select name='profile' value={profile} disabled={running} onChange={e => setProfile(e.currentTarget.value as UnixfsProfile)}>
              <option value='unixfs-v1-2025'>unixfs-v1-2025 (CIDv1, raw leaves, 1 MiB chunks)</option>
              <option value='unixfs-v0-2015'>unixfs-v0-2015 (Kubo's classic: CIDv0, 256 KiB chunks)</option>
            </select>
          </label>
          <label><input type='checkbox' name='wrap' checked={wrapped} disabled={running || topLevel(picked) > 1} onChange={e => setWrap(e.currentTarget.checked)} /> Wrap in a directory (keeps the names)</label>
          <p>
            <button type='submit' disabled={running}>Add</button>{' '}
            <button type='button' class='secondary' disabled={running} onClick={() => { setPicked([]); setWrap(undefined) }}>Clear</button>
          </p>
        </form>
      )}
      {running && <Progress progress={state.progress} started={started} cancel={cancel} />}
      {state.status === 'cancelled' && <p role='status' data-testid='add-cancelled'>Cancelled; nothing of it was kept.</p>}
      {state.status === 'error' && (
        <>
          <p>The files were not added; nothing of them was kept.</p>
          <ErrorMessage error={state.error} />
        </>
      )}
      {state.status === 'done' && <Summary summary={state.value} />}
    </section>
  )
}
