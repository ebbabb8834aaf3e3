import type { JSX } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import type { RemotePinAtService, RemotePinRecord, ServiceView } from '../../remote/keep-online.ts'
import { rpc } from '../rpc.ts'
import { ErrorMessage } from './error-message.tsx'

/** How often a pin that has not settled at some service is checked again while it is shown. */
const CHECK_EVERY_MS = 3_000

const WORDS: Record<RemotePinAtService['state'], string> = {
  queued: 'queued',
  pinning: 'pinning',
  pinned: 'pinned',
  failed: 'failed',
  unsent: 'not sent yet',
  refused: 'refused'
}

function settled (record: RemotePinRecord | null): boolean {
  return record === null || Object.values(record.services).every(at => at.state === 'pinned' || at.state === 'failed' || at.state === 'refused')
}

/**
 * A pin's "Keep online": where it is kept (queued, pinning, pinned, failed with the reason),
 * a retry for a service that failed or refused, and a choice of services to add. While any
 * service has not settled, it asks again every few seconds.
 */
export function KeepOnline ({ cid, services, onChange }: { cid: string, services: ServiceView[], onChange?: (record: RemotePinRecord | null) => void }): JSX.Element {
  const [record, setRecord] = useState<RemotePinRecord | null | undefined>(undefined)
  const [choosing, setChoosing] = useState(false)
  const [chosen, setChosen] = useState<string[]>([])
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<Error | null>(null)
  const show = (value: RemotePinRecord | null): void => {
    setRecord(value)
    onChange?.(value)
  }
  useEffect(() => { rpc.call('remote.status', { cid }).then(show, setError) }, [cid])
  useEffect(() => {
    if (record === undefined || settled(record)) return
    const timer = setTimeout(() => { rpc.call('remote.status', { cid, check: true }).then(show, setError) }, CHECK_EVERY_MS)
    return () => clearTimeout(timer)
  }, [record])
  if (services.length === 0) return <></>
  const keep = (ids: string[]): void => {
    setBusy(true)
    setError(null)
    rpc.call('remote.keep', { cid, services: ids }, { timeout: 60_000 }).then(value => { show(value); setChoosing(false) }, setError).finally(() => setBusy(false))
  }
  const at = record?.services ?? {}
  const unused = services.filter(s => at[s.id] === undefined)
  return (
    <div class='keep-online small' data-testid='keep-online'>
      {services.filter(s => at[s.id] !== undefined).map(s => {
        const state = at[s.id]
        return (
          <div key={s.id} data-testid='remote-state' data-service={s.id} data-state={state.state}>
            <span class={state.state === 'pinned' ? '' : state.state === 'failed' || state.state === 'refused' ? 'warning' : 'muted'}>
              {state.state === 'pinned' ? '✓ ' : ''}online at {s.name}: {WORDS[state.state]}
            </span>
            {state.details !== undefined && state.state !== 'pinned' && <span class='muted'> ({state.details})</span>}
            {(state.state === 'failed' || state.state === 'refused') && <button type='button' class='secondary' disabled={busy} onClick={() => keep([s.id])}>Retry</button>}
          </div>
        )
      })}
      {unused.length > 0 && !choosing && <button type='button' class='secondary' onClick={() => { setChosen(unused.map(s => s.id).slice(0, 1)); setChoosing(true) }}>Keep online…</button>}
      {choosing && (
        <form class='row' onSubmit={e => { e.preventDefault(); if (chosen.length > 0) keep(chosen) }}>
          {unused.map(s => (
            <label key={s.id} class='row'>
              <input type='checkbox' checked={chosen.includes(s.id)} onChange={e => setChosen(e.currentTarget.checked ? [...chosen, s.id] : chosen.filter(id => id !== s.id))} /> {s.name}
            </label>
          ))}
          <button type='submit' disabled={busy || chosen.length === 0}>{busy ? 'Asking…' : 'Keep online'}</button>
          <button type='button' class='secondary' onClick={() => setChoosing(false)}>Cancel</button>
        </form>
      )}
      {error !== null && <ErrorMessage error={error} />}
    </div>
  )
}
