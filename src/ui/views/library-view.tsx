import type { JSX } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import type { CacheEntry } from '../../library/cache-index.ts'
import type { GcProgress, GcSummary, PinStatus } from '../../library/library.ts'
import type { PinRecord } from '../../library/pins.ts'
import { CACHE_SHARES } from '../../library/settings.ts'
import { formatBytes } from '../../lib/format-bytes.ts'
import { ErrorMessage } from '../components/error-message.tsx'
import { DownloadLink } from '../components/download-link.tsx'
import { FetchEverything } from '../components/fetch-everything.tsx'
import { KeepOnline } from '../components/keep-online.tsx'
import type { RemotePinRecord, ServiceView } from '../../remote/keep-online.ts'
import { repoVersion } from '../components/repo-summary.tsx'
import { useCall } from '../components/use-call.ts'
import { useRpc } from '../components/use-rpc.ts'
import { routeHash } from '../router.ts'
import { rpc } from '../rpc.ts'
import { count } from '../../lib/count.ts'

/** Rows whose stored share is checked right away; further rows are checked on request. */
const CHECKED_ROWS = 50
/** Pins shown at first; a library of thousands shows the rest on request (first paint stays fast). */
const FIRST_ROWS = 100

const origins: Record<PinRecord['origin'], string> = { imported: 'imported', added: 'added', created: 'created', fetched: 'fetched', pinned: 'pinned', followed: 'follows a name;' }

/** Asks the browser to keep this origin's storage (`navigator.storage.persist`), once. */
async function askPersistence (): Promise<boolean | undefined> {
  if (navigator.storage?.persist === undefined) return undefined
  if (await navigator.storage.persisted()) return true
  return navigator.storage.persist()
}

/** Whether the browser keeps this origin's storage under pressure. */
function Persistence (): JSX.Element {
  const [state, setState] = useState<boolean | undefined | null>(null)
  useEffect(() => { void (navigator.storage?.persisted?.() ?? Promise.resolve(undefined)).then(setState) }, [repoVersion.value])
  if (state === null) return <span class='muted'>…</span>
  if (state === undefined) return <span class='muted'>this browser cannot say</span>
  return <span data-testid='persistent'>{state ? 'persistent: the browser will not clear it on its own' : 'best effort: the browser may clear it when space runs low'}</span>
}

/** Stored blocks split into pinned and cached, on request (it reads every pinned block). */
function Usage ({ version }: { version: number }): JSX.Element {
  const { state, start } = useCall('repo.stat')
  useEffect(() => { if (state.status === 'done') start({ usage: true }) }, [version])
  if (state.status === 'idle') return <button type='button' class='secondary' onClick={() => start({ usage: true })}>Count</button>
  if (state.status === 'running') return <span class='muted'>counting…</span>
  if (state.status === 'error') return <ErrorMessage error={state.error} />
  if (state.status === 'cancelled') return <span class='muted'>—</span>
  const u = state.value
  if (u.pinnedBlocks === undefined || u.pinnedBytes === undefined || u.cachedBlocks === undefined || u.cachedBytes === undefined) return <span class='muted'>—</span>
  return <span data-testid='usage'>pinned {count(u.pinnedBlocks, 'block')} · {formatBytes(u.pinnedBytes)}; cached {count(u.cachedBlocks, 'block')} · {formatBytes(u.cachedBytes)}</span>
}

/** Open, explore, download as CAR: the links every row of the Library has. */
function ContentLinks ({ cid }: { cid: string }): JSX.Element {
  return (
    <>
      <a href={`/ipfs/${cid}/`} target='_blank' rel='noopener noreferrer'>Open</a> ·{' '}
      <a href={routeHash({ view: 'explore', path: `/ipfs/${cid}` })}>Explore</a> ·{' '}
      <DownloadLink cid={cid} format='car'>Download CAR</DownloadLink>
    </>
  )
}

/** What a pin that follows a name keeps: the version stored, when the name was last checked, what is pending. */
function Follows ({ follows }: { follows: NonNullable<PinRecord['follows']> }): JSX.Element {
  return (
    <div class='small' data-testid='pin-follows'>
      follows <a class='mono' href={routeHash({ view: 'explore', path: `/ipns/${follows.name}` })}>/ipns/{follows.name}</a>; this version kept, name last checked {new Date(follows.checkedAt).toLocaleString()}
      {follows.pending !== undefined && <span class='warning'> · newer version <span class='mono'>{follows.pending}</span> being fetched</span>}
      {follows.problem !== undefined && <span class='muted'> ({follows.problem})</span>}
    </div>
  )
}

/**
 * Unpinning a pin that is kept online: which services should stop keeping it too (all
 * ticked at first), then unpin here and there.
 */
function UnpinKeptOnline ({ remote, services, unpin, cancel }: { remote: RemotePinRecord, services: ServiceView[], unpin: (remoteToo: string[]) => void, cancel: () => void }): JSX.Element {
  const kept = services.filter(s => remote.services[s.id] !== undefined)
  const [chosen, setChosen] = useState(kept.map(s => s.id))
  return (
    <form class='unpin-remote small' data-testid='unpin-remote' onSubmit={e => { e.preventDefault(); unpin(chosen) }}>
      <p>It is kept online too. Also remove it from:</p>
      {kept.map(s => (
        <label key={s.id} class='row'>
          <input type='checkbox' checked={chosen.includes(s.id)} onChange={e => setChosen(e.currentTarget.checked ? [...chosen, s.id] : chosen.filter(id => id !== s.id))} /> {s.name}
        </label>
      ))}
      <div class='row'>
        <button type='submit'>Unpin</button>
        <button type='button' class='secondary' onClick={cancel}>Cancel</button>
      </div>
    </form>
  )
}

/** A pin's row: what it is, whether all of it is stored, where it is kept online, and what can be done with it. */
function PinRow ({ pin, check, changed, services }: { pin: PinRecord, check: boolean, changed: () => void, services: ServiceView[] }): JSX.Element {
  const [status, setStatus] = useState<PinStatus | Error | undefined>(undefined)
  const [renaming, setRenaming] = useState<string | null>(null)
  const [error, setError] = useState<Error | null>(null)
  const [remote, setRemote] = useState<RemotePinRecord | null>(null)
  const [confirming, setConfirming] = useState(false)
  const keptOnline = remote !== null && Object.keys(remote.services).length > 0
  const unpin = (remoteToo: string[]): void => {
    setConfirming(false)
    act(rpc.call('pin.rm', { cid: pin.cid }).then(async () => {
      if (remoteToo.length > 0) await rpc.call('remote.forget', { cid: pin.cid, services: remoteToo }, { timeout: 60_000 })
    }))
  }
  const load = (): void => { rpc.call('pin.status', { cid: pin.cid }).then(setStatus, setStatus) }
  useEffect(() => { if (check) load() }, [pin.cid, check])
  const act = (work: Promise<unknown>): void => { work.then(() => { repoVersion.value++; changed() }, setError) }
  return (
    <tr data-testid='pin-row' data-cid={pin.cid}>
      <td>
        {renaming === null
          ? <strong>{pin.name}</strong>
          : (
            <form class='row' onSubmit={e => { e.preventDefault(); act(rpc.call('pin.add', { cid: pin.cid, type: pin.type, name: renaming })); setRenaming(null) }}>
              <input aria-label='New name' value={renaming} onInput={e => setRenaming(e.currentTarget.value)} />
              <button type='submit'>Save</button>
            </form>
            )}
        <div class='mono small' title={pin.cid}>{pin.cid}</div>
        <div class='muted small'>{origins[pin.origin]} {new Date(pin.pinnedAt).toLocaleString()} · {pin.type}</div>
        {pin.follows !== undefined && <Follows follows={pin.follows} />}
      </td>
      <td class='small' data-testid='pin-status'>
        {status === undefined && (check ? 'checking…' : <button type='button' class='secondary' onClick={load}>Check</button>)}
        {status instanceof Error && <ErrorMessage error={status} />}
        {status !== undefined && !(status instanceof Error) && (
          status.complete
            ? <span>complete · {count(status.blocks, 'block')}{status.bytes > 0 ? ` · ${formatBytes(status.bytes)}` : ''}</span>
            : <span class='warning'>incomplete: {count(status.missing, 'block')} missing ({status.blocks.toLocaleString()} stored)</span>
        )}
      </td>
      <td class='actions small'>
        <ContentLinks cid={pin.cid} />
        <div class='row'>
          <button type='button' class='secondary' onClick={() => setRenaming(pin.name)}>Rename</button>
          <button type='button' class='secondary' onClick={() => { if (keptOnline) setConfirming(true); else unpin([]) }}>Unpin</button>
          <button type='button' class='secondary' title='Unpin it and delete its blocks that nothing else keeps' onClick={() => act(rpc.call('pin.rm', { cid: pin.cid }).then(async () => rpc.call('cache.rm', { cid: pin.cid })))}>Remove</button>
        </div>
        {confirming && remote !== null && <UnpinKeptOnline remote={remote} services={services} unpin={unpin} cancel={() => setConfirming(false)} />}
        <KeepOnline cid={pin.cid} services={services} onChange={setRemote} />
        {status !== undefined && !(status instanceof Error) && !status.complete &&
          <FetchEverything cid={pin.cid} label='Make available offline' onDone={load} />}
        {error !== null && <ErrorMessage error={error} />}
      </td>
    </tr>
  )
}

/** One piece of opened, unpinned content: its size on request, and what can be done with it. */
function RecentRow ({ entry, changed }: { entry: CacheEntry, changed: () => void }): JSX.Element {
  const [stat, setStat] = useState<{ blocks: number, bytes: number, missing: number } | Error | undefined>(undefined)
  const [note, setNote] = useState<string | null>(null)
  const [error, setError] = useState<Error | null>(null)
  return (
    <tr data-testid='recent-row' data-cid={entry.cid}>
      <td>
        <div class='mono small' title={entry.cid}>{entry.cid}</div>
        <div class='muted small'>last opened {new Date(entry.lastUsed).toLocaleString()}</div>
      </td>
      <td class='small'>
        {stat === undefined && <button type='button' class='secondary' onClick={() => { rpc.call('dag.stat', { cid: entry.cid }).then(setStat, setStat) }}>Size</button>}
        {stat instanceof Error && <ErrorMessage error={stat} />}
        {stat !== undefined && !(stat instanceof Error) && <span data-testid='recent-size'>{count(stat.blocks, 'block')} · {formatBytes(stat.bytes)}{stat.missing > 0 ? ` · ${stat.missing} not stored` : ''}</span>}
        {note !== null && <div role='status'>{note}</div>}
      </td>
      <td class='actions small'>
        <ContentLinks cid={entry.cid} />
        <div class='row'>
          <button type='button' class='secondary' onClick={() => { rpc.call('pin.add', { cid: entry.cid }).then(() => { repoVersion.value++; changed() }, setError) }}>Pin</button>
          <button type='button' class='secondary' onClick={() => {
            rpc.call('cache.rm', { cid: entry.cid }).then(freed => { setNote(`Removed ${count(freed.blocks, 'block')} (${formatBytes(freed.bytes)})`); repoVersion.value++; changed() }, setError)
          }}>Remove</button>
        </div>
        {error !== null && <ErrorMessage error={error} />}
      </td>
    </tr>
  )
}

/** The cache budget: what share of the quota stored blocks may take before opened content goes. */
function Budget ({ quota, changed }: { quota: number | undefined, changed: () => void }): JSX.Element {
  const settings = useRpc('library.settings', {}, 'budget')
  const [share, setShare] = useState<number | null>(null)
  const [error, setError] = useState<Error | null>(null)
  const current = share ?? (settings.status === 'done' ? settings.value.cacheShare : null)
  if (current === null) return <p class='muted'>…</p>
  return (
    <p class='row small'>
      <label for='cache-share'>Remove opened content, least recently used first, when stored blocks pass</label>
      <select id='cache-share' name='cacheShare' value={String(current)} onChange={e => {
        const next = Number(e.currentTarget.value)
        setShare(next)
        setError(null)
        rpc.call('library.setSettings', { cacheShare: next }).then(() => { repoVersion.value++; changed() }, setError)
      }}>
        {CACHE_SHARES.map(s => <option key={s} value={String(s)}>{Math.round(s * 100)} %</option>)}
      </select>
      <span class='muted'>of the quota{quota !== undefined ? ` (${formatBytes(quota * current)})` : ''}. Pinned content is never removed.</span>
      {error !== null && <ErrorMessage error={error} />}
    </p>
  )
}

/** Pins a CID by hand, recursively, under a name; asks for persistent storage the first time. */
function PinForm ({ pinned }: { pinned: (persisted: boolean | undefined) => void }): JSX.Element {
  const [cid, setCid] = useState('')
  const [name, setName] = useState('')
  const [error, setError] = useState<Error | null>(null)
  return (
    <form class='bar' onSubmit={e => {
      e.preventDefault()
      setError(null)
      const label = name.trim() === '' ? {} : { name: name.trim() }
      // A name is followed (the pin moves when it does); a CID is pinned as it is.
      const work = /^(\/ipns\/|ipns:\/\/)/i.test(cid.trim())
        ? rpc.call('pin.follow', { name: cid.trim(), ...(name.trim() === '' ? {} : { label: name.trim() }) })
        : rpc.call('pin.add', { cid: cid.trim(), ...label })
      work.then(async () => { setCid(''); setName(''); pinned(await askPersistence()) }, setError)
    }}>
      <input aria-label='CID to pin' class='mono' placeholder='bafy…, Qm… or /ipns/name to follow' value={cid} onInput={e => setCid(e.currentTarget.value)} />
      <input aria-label='Name' placeholder='name (optional)' value={name} onInput={e => setName(e.currentTarget.value)} />
      <button type='submit' disabled={cid.trim() === ''}>Pin</button>
      {error !== null && <ErrorMessage error={error} />}
    </form>
  )
}

/** Resolves the followed names now (they are also checked every minute while Cairn runs). */
function CheckNames ({ done }: { done: () => void }): JSX.Element {
  const [error, setError] = useState<Error | null>(null)
  const [busy, setBusy] = useState(false)
  return (
    <div class='row'>
      <button type='button' class='secondary' disabled={busy} onClick={() => {
        setBusy(true)
        setError(null)
        rpc.call('pin.checkNames', {}).then(done, setError).finally(() => setBusy(false))
      }}>Check followed names now</button>
      {error !== null && <ErrorMessage error={error} />}
    </div>
  )
}

/** Deletes every unpinned block, with progress and a summary. */
function Collect ({ done }: { done: () => void }): JSX.Element {
  const { state, start } = useCall('repo.gc', 120_000)
  useEffect(() => { if (state.status === 'done') { repoVersion.value++; done() } }, [state.status])
  const progress: GcProgress | undefined = state.status === 'running' ? state.progress : undefined
  const summary: GcSummary | undefined = state.status === 'done' ? state.value : undefined
  return (
    <div class='row'>
      <button type='button' class='secondary' disabled={state.status === 'running'} onClick={() => start({})} title='Delete every block no pin keeps'>Remove unpinned content</button>
      {state.status === 'running' && <span class='muted' role='status'>{progress === undefined ? 'Starting…' : progress.phase === 'mark' ? `Marking what is kept: ${count(progress.done, 'pin')} so far` : `Sweeping: ${count(progress.done, 'block')} looked at, ${progress.removedBlocks.toLocaleString()} removed`}</span>}
      {summary !== undefined && <span role='status' data-testid='gc-summary'>Removed {count(summary.removedBlocks, 'block')} ({formatBytes(summary.removedBytes)}); kept {summary.keptBlocks.toLocaleString()} ({formatBytes(summary.keptBytes)}) for {count(summary.pins, 'pin')}, in {(summary.ms / 1000).toFixed(1)} s.</span>}
      {state.status === 'error' && <ErrorMessage error={state.error} />}
    </div>
  )
}

/**
 * The app's home: what this browser keeps. Totals and storage, the pinned content with its
 * state and actions, pinning by CID, and removing what no pin keeps.
 */
export function LibraryView (): JSX.Element {
  const [version, setVersion] = useState(0)
  const [showAll, setShowAll] = useState(false)
  // The first page comes through the date index; all of them only when asked for.
  const page = useRpc('pin.page', { limit: FIRST_ROWS }, String(version))
  const all = useRpc('pin.ls', showAll ? {} : null, `${version}/${showAll}`)
  const pins = showAll && all.status === 'done' ? all : page.status === 'done' ? { status: 'done' as const, value: page.value.pins } : page
  const total = page.status === 'done' ? page.value.total : undefined
  const recent = useRpc('cache.ls', {}, String(version))
  const remote = useRpc('remote.services', {}, '')
  const services = remote.status === 'done' ? remote.value.services : []
  const stat = useRpc('repo.stat', {}, `${repoVersion.value}/${version}`)
  const [persisted, setPersisted] = useState<string | null>(null)
  const changed = (): void => { setVersion(v => v + 1) }
  return (
    <section class='library'>
      <h2>Library</h2>
      <p class='muted small'>Names you publish, and keys to import or export, are in <a href={routeHash({ view: 'names' })}>Names</a>.</p>
      <dl class='meta' data-testid='library-totals'>
        <dt>IPFS blocks stored</dt>
        <dd>{stat.status === 'done' ? `${count(stat.value.blocks, 'block')} · ${formatBytes(stat.value.bytes)}` : '…'}</dd>
        <dt>Site storage</dt>
        <dd title='Everything this site keeps in the browser (the app, its databases and caches), as the browser counts it'>{stat.status === 'done' && stat.value.quota !== undefined ? `${formatBytes(stat.value.usage ?? 0)} used of ${formatBytes(stat.value.quota)} (the app, its databases and caches)` : '…'} · <Persistence /></dd>
        <dt>Pinned vs cached</dt>
        <dd><Usage version={version} /></dd>
        <dt>Pins</dt>
        <dd>{total ?? '…'}</dd>
      </dl>
      <PinForm pinned={answer => {
        changed()
        if (answer === true) setPersisted('The browser keeps this storage: it will not clear it when space runs low.')
        else if (answer === false) setPersisted('The browser did not grant persistent storage, so it may clear what is stored here when space runs low. Installing the app, or using it often, usually changes its mind.')
      }} />
      {persisted !== null && <p class='muted' role='status' data-testid='persistence-answer'>{persisted}</p>}
      {pins.status === 'error' && <ErrorMessage error={pins.error} />}
      {pins.status === 'done' && pins.value.length === 0 && (
        <p class='muted'>Nothing is pinned yet. <a href={routeHash({ view: 'import' })}>Import a CAR</a> (it is pinned under its file name), or pin a CID above.</p>
      )}
      {pins.status === 'done' && pins.value.length > 0 && (
        <table class='pins' data-testid='pins'>
          <thead><tr><th>Pinned</th><th>Stored</th><th /></tr></thead>
          <tbody>{pins.value.map((pin, i) => <PinRow key={pin.cid} pin={pin} check={i < CHECKED_ROWS} changed={changed} services={services} />)}</tbody>
        </table>
      )}
      {total !== undefined && !showAll && total > FIRST_ROWS && (
        <button type='button' class='secondary' onClick={() => setShowAll(true)}>Show all {count(total, 'pin')}</button>
      )}
      <h3>Recently viewed, not pinned</h3>
      {recent.status === 'done' && recent.value.length === 0 && <p class='muted'>Nothing opened that is not pinned.</p>}
      {recent.status === 'done' && recent.value.length > 0 && (
        <table class='pins' data-testid='recent'>
          <thead><tr><th>Opened</th><th>Stored</th><th /></tr></thead>
          <tbody>{recent.value.map(entry => <RecentRow key={entry.cid} entry={entry} changed={changed} />)}</tbody>
        </table>
      )}
      <Budget quota={stat.status === 'done' ? stat.value.quota : undefined} changed={changed} />
      {pins.status === 'done' && pins.value.some(p => p.follows !== undefined) && <CheckNames done={changed} />}
      <Collect done={changed} />
    </section>
  )
}
