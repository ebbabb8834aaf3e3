import type { JSX } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import type { NameKeyView } from '../../names/name-publisher.ts'
import { ErrorMessage } from '../components/error-message.tsx'
import { routeHash } from '../router.ts'
import { rpc } from '../rpc.ts'

function when (ms: number): string {
  return new Date(ms).toLocaleString()
}

/** Saves bytes as a file from the page (a blob: link, which never involves the worker). */
function saveFile (bytes: Uint8Array, name: string): void {
  const url = URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: 'application/octet-stream' }))
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** Where a name was last published, and how that went. */
function Published ({ name }: { name: NameKeyView }): JSX.Element {
  const p = name.published
  if (p === undefined) return <p class='muted small'>Not published yet.</p>
  return (
    <div class='small' data-testid='name-published'>
      Points at <a class='mono' href={routeHash({ view: 'explore', path: p.value })}>{p.value}</a> · sequence {p.sequence} · valid until {when(p.validUntil)} · TTL {Math.round(p.ttlMs / 60_000)} min
      <div data-testid='name-accepted'>
        {p.accepted.length === 0
          ? <span class='warning'>No routing endpoint accepted it: only this browser can resolve the name.</span>
          : <>Accepted by {p.accepted.map(a => `${new URL(a.url).host} (${when(a.at)})`).join(', ')}</>}
      </div>
      {p.failed.length > 0 && <div class='warning'>Not accepted by {p.failed.map(f => `${new URL(f.url).host}: ${f.reason}`).join('; ')}</div>}
      <div class='muted'>Published again before half its validity is gone, while Cairn runs.</div>
    </div>
  )
}

/** One name: rename, publish, export the key, delete. */
function NameRow ({ name, changed }: { name: NameKeyView, changed: () => void }): JSX.Element {
  const [value, setValue] = useState('')
  const [hours, setHours] = useState('48')
  const [minutes, setMinutes] = useState('5')
  const [label, setLabel] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<Error | null>(null)
  const act = (work: Promise<unknown>): void => {
    setError(null)
    setBusy(true)
    work.then(() => { changed() }, setError).finally(() => setBusy(false))
  }
  return (
    <li class='name-row' data-testid='name-row' data-name={name.id}>
      {label === null
        ? <strong>{name.label}</strong>
        : (
          <form class='row' onSubmit={e => { e.preventDefault(); act(rpc.call('names.rename', { id: name.id, label })); setLabel(null) }}>
            <input aria-label='New label' value={label} onInput={e => setLabel(e.currentTarget.value)} />
            <button type='submit'>Save</button>
          </form>
          )}
      <div class='mono small' data-testid='name-id'><a href={routeHash({ view: 'explore', path: `/ipns/${name.id}` })}>/ipns/{name.id}</a></div>
      <Published name={name} />
      <form class='bar' onSubmit={e => {
        e.preventDefault()
        act(rpc.call('names.publish', { id: name.id, value: value.trim(), lifetimeMs: Number(hours) * 3_600_000, ttlMs: Number(minutes) * 60_000 }).then(() => setValue('')))
      }}>
        <input aria-label='CID or path to publish' class='mono' placeholder='bafy… or /ipfs/…/path' value={value} onInput={e => setValue(e.currentTarget.value)} />
        <label class='small'>valid <input type='number' aria-label='Validity in hours' min='1' max='8760' value={hours} onInput={e => setHours(e.currentTarget.value)} /> h</label>
        <label class='small'>TTL <input type='number' aria-label='TTL in minutes' min='1' max='10080' value={minutes} onInput={e => setMinutes(e.currentTarget.value)} /> min</label>
        <button type='submit' disabled={busy || value.trim() === ''}>Publish</button>
      </form>
      <div class='row'>
        <button type='button' class='secondary' onClick={() => setLabel(name.label)}>Rename</button>
        <button type='button' class='secondary' onClick={() => { rpc.call('names.export', { id: name.id }).then(({ key }) => saveFile(key, `${name.label}.key`), setError) }}>Export key</button>
        <button type='button' class='secondary' onClick={() => {
          if (confirm(`Delete the key of "${name.label}"? This cannot be undone: without a copy of the key (Export key), nobody can ever publish ${name.id} again.`)) act(rpc.call('names.delete', { id: name.id }))
        }}>Delete</button>
      </div>
      {error !== null && <ErrorMessage error={error} />}
    </li>
  )
}

/**
 * The names this browser publishes (Library → Names): create one (an Ed25519 key kept in
 * IndexedDB), import or export a key as `ipfs key import/export` do, rename, delete, and
 * publish a CID or a path under it to the routing endpoints.
 */
export function NamesView (): JSX.Element {
  const [names, setNames] = useState<NameKeyView[] | null>(null)
  const [error, setError] = useState<Error | null>(null)
  const [label, setLabel] = useState('')
  const [importLabel, setImportLabel] = useState('')
  const [file, setFile] = useState<File | null>(null)
  const load = (): void => { rpc.call('names.list', {}).then(setNames, setError) }
  useEffect(load, [])
  const act = (work: Promise<unknown>): void => { setError(null); work.then(load, setError) }
  return (
    <section class='names'>
      <h2>Names</h2>
      <p class='muted prose'>
        An IPNS name is a key: whatever it is published to point at, others reach by the name, and
        it can point somewhere else later. Records are signed here and handed to the routing
        endpoints in Settings; keep a copy of each key (Export key), as a lost key cannot be replaced.
      </p>
      <form class='bar' onSubmit={e => { e.preventDefault(); act(rpc.call('names.create', { label }).then(() => setLabel(''))) }}>
        <input aria-label='Label of a new name' placeholder='label, e.g. my site' value={label} onInput={e => setLabel(e.currentTarget.value)} />
        <button type='submit' disabled={label.trim() === ''}>Create name</button>
      </form>
      <form class='bar' onSubmit={e => {
        e.preventDefault()
        if (file === null) return
        act(file.arrayBuffer().then(async buffer => rpc.call('names.import', { label: importLabel, key: new Uint8Array(buffer) })).then(() => { setImportLabel(''); setFile(null) }))
      }}>
        <input aria-label='Label of an imported name' placeholder='label' value={importLabel} onInput={e => setImportLabel(e.currentTarget.value)} />
        <input type='file' aria-label='Key file (ipfs key export)' data-testid='key-file' onChange={e => setFile(e.currentTarget.files?.[0] ?? null)} />
        <button type='submit' class='secondary' disabled={file === null || importLabel.trim() === ''}>Import key</button>
      </form>
      {error !== null && <ErrorMessage error={error} />}
      {names === null && error === null && <p class='muted'>Loading…</p>}
      {names?.length === 0 && <p class='muted'>No names yet.</p>}
      <ul class='plain' data-testid='names'>
        {names?.map(name => <NameRow key={name.id} name={name} changed={load} />)}
      </ul>
    </section>
  )
}
