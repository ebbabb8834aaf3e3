import type { JSX } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import type { RemoteView } from '../../rpc/methods/remote.ts'
import type { RemoteSettings } from '../../remote/services.ts'
import { rpc } from '../rpc.ts'
import { ErrorMessage } from './error-message.tsx'

type TestResult = { ok: true, count: number } | { ok: false, error: Error }

function TestAnswer ({ result }: { result: TestResult | undefined }): JSX.Element {
  if (result === undefined) return <></>
  if (result.ok) return <span role='status' data-testid='service-test'>works: {result.count} pins there for this token</span>
  return <span role='status' data-testid='service-test' class='warning'>does not work: {result.error.message}</span>
}

/**
 * Settings → Pinning services: the services that keep pins online when this browser is
 * closed (any that speaks the IPFS Pinning Service API: the bundled home node, a pinning
 * company, an IPFS Cluster), each testable; adding one checks it first; and which of them
 * keep new adds and imports online on their own.
 */
export function PinningServices (): JSX.Element {
  const [view, setView] = useState<RemoteView | null>(null)
  const [error, setError] = useState<Error | null>(null)
  const [tests, setTests] = useState<Record<string, TestResult>>({})
  const [name, setName] = useState('')
  const [endpoint, setEndpoint] = useState('')
  const [token, setToken] = useState('')
  const [adding, setAdding] = useState<TestResult | 'checking' | undefined>(undefined)
  useEffect(() => { rpc.call('remote.services', {}).then(setView, setError) }, [])
  if (view === null) return error !== null ? <ErrorMessage error={error} /> : <p class='muted'>Loading pinning services…</p>
  const save = (settings: RemoteSettings): Promise<void> => rpc.call('remote.setSettings', settings).then(setView, setError)
  const test = (id: string): void => {
    rpc.call('remote.test', { id }, { timeout: 30_000 }).then(
      ({ count }) => setTests(t => ({ ...t, [id]: { ok: true, count } })),
      (err: Error) => setTests(t => ({ ...t, [id]: { ok: false, error: err } }))
    )
  }
  const add = (): void => {
    setAdding('checking')
    setError(null)
    // A service is checked before it is kept: a wrong endpoint or token is said now, not at the first pin.
    rpc.call('remote.test', { endpoint, token }, { timeout: 30_000 }).then(async ({ count }) => {
      const id = crypto.randomUUID()
      await save({ ...view.settings, services: [...view.settings.services, { id, name, endpoint, token }] })
      setTests(t => ({ ...t, [id]: { ok: true, count } }))
      setName(''); setEndpoint(''); setToken('')
      setAdding(undefined)
    }, (err: Error) => setAdding({ ok: false, error: err }))
  }
  const keepNew = (id: string, on: boolean): void => {
    void save({ ...view.settings, keepNew: on ? [...view.settings.keepNew, id] : view.settings.keepNew.filter(k => k !== id) })
  }
  return (
    <section class='settings' data-testid='pinning-services'>
      <h2>Pinning services</h2>
      <p class='muted'>They keep what you choose online when this browser is closed: any service that speaks the IPFS Pinning Service API (the home node of the server that served this app, a pinning company, an IPFS Cluster). Choose what to keep in the Library ("Keep online").</p>
      {view.services.length === 0 && <p class='muted'>None yet.</p>}
      <ul class='services'>
        {view.services.map(s => (
          <li key={s.id} data-testid='service' data-service={s.id}>
            <strong>{s.name}</strong> <span class='mono small'>{s.endpoint}</span>
            <div class='row small'>
              <button type='button' class='secondary' onClick={() => test(s.id)}>Test</button>
              {!s.bundled && <button type='button' class='secondary' onClick={() => { void save({ services: view.settings.services.filter(o => o.id !== s.id), keepNew: view.settings.keepNew.filter(k => k !== s.id) }) }}>Remove</button>}
              <label class='row'><input type='checkbox' checked={view.settings.keepNew.includes(s.id)} onChange={e => keepNew(s.id, e.currentTarget.checked)} /> keep new adds and imports online here</label>
              <TestAnswer result={tests[s.id]} />
            </div>
          </li>
        ))}
      </ul>
      <form class='new-service' onSubmit={e => { e.preventDefault(); add() }}>
        <h3>Add a service</h3>
        <label for='service-name'>Name</label>
        <input id='service-name' required value={name} onInput={e => setName(e.currentTarget.value)} placeholder='My pinning service' />
        <label for='service-endpoint'>API endpoint</label>
        <input id='service-endpoint' required type='url' value={endpoint} onInput={e => setEndpoint(e.currentTarget.value)} placeholder='https://api.example.org/psa' />
        <label for='service-token'>Access token</label>
        <input id='service-token' required type='password' autocomplete='off' value={token} onInput={e => setToken(e.currentTarget.value)} />
        <div class='row'>
          <button type='submit' disabled={adding === 'checking'}>{adding === 'checking' ? 'Checking…' : 'Check and add'}</button>
          {adding !== undefined && adding !== 'checking' && <TestAnswer result={adding} />}
        </div>
      </form>
      {error !== null && <ErrorMessage error={error} />}
    </section>
  )
}
