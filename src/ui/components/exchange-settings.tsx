import type { JSX } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import type { ExchangeView, SourceView } from '../../cairn/content-exchange.ts'
import type { ExchangeSettings, SourceSetting } from '../../exchange/settings.ts'
import { formatBytes } from '../../lib/format-bytes.ts'
import { rpc } from '../rpc.ts'
import { ErrorMessage } from './error-message.tsx'
import { count } from '../../lib/count.ts'

function Counts ({ view }: { view: SourceView }): JSX.Element {
  const s = view.stats
  if (s === undefined) return <span class='muted small'>no blocks asked yet</span>
  return (
    <span class='small' data-testid='source-stats'>
      {count(s.blocks, 'block')} ({formatBytes(s.bytes)}) · {s.wrong > 0 ? <strong>{s.wrong} wrong</strong> : '0 wrong'} · {s.failed} failed
    </span>
  )
}

/** A routing endpoint's or DNS resolver's answers for names. */
function NameCounts ({ view }: { view: SourceView }): JSX.Element | null {
  const n = view.names
  if (n === undefined) return null
  return (
    <span class='small' data-testid='name-stats'>
      names: {n.served} served · {n.invalid > 0 ? <strong>{n.invalid} invalid</strong> : '0 invalid'} · {n.failed} failed or none
    </span>
  )
}

/** One list of sources: on/off, remove, add. */
function SourceList ({ title, name, sources, views, onChange }: {
  title: string
  name: string
  sources: SourceSetting[]
  views: SourceView[]
  onChange: (sources: SourceSetting[]) => void
}): JSX.Element {
  const [adding, setAdding] = useState('')
  return (
    <fieldset class='sources' data-testid={`${name}-list`}>
      <legend>{title}</legend>
      {sources.length === 0 && <p class='muted'>None.</p>}
      <ul class='plain'>
        {sources.map((source, i) => {
          const view = views.find(v => v.url === source.url)
          return (
            <li key={source.url} class='row'>
              <label class='row'>
                <input type='checkbox' checked={source.enabled} onChange={e => onChange(sources.map((s, j) => j === i ? { ...s, enabled: e.currentTarget.checked } : s))} />
                <span class='mono'>{source.url}</span>
              </label>
              {view !== undefined && !view.usable && <span class='muted small'> (loopback http: used only while local addresses are allowed)</span>}
              {view !== undefined && name === 'gateways' && <Counts view={view} />}
              {view !== undefined && <NameCounts view={view} />}
              <button type='button' class='secondary' onClick={() => onChange(sources.filter((_, j) => j !== i))}>Remove</button>
            </li>
          )
        })}
      </ul>
      <div class='bar'>
        <input aria-label={`Add to ${title}`} class='mono' placeholder={name === 'resolvers' ? 'https://…/dns-query' : 'https://…'} value={adding} onInput={e => setAdding(e.currentTarget.value)} />
        <button type='button' class='secondary' disabled={adding.trim() === ''} onClick={() => { onChange([...sources, { url: adding.trim(), enabled: true }]); setAdding('') }}>Add</button>
      </div>
    </fieldset>
  )
}

/**
 * Where content and names come from and whether this node shares: "Share stored blocks with
 * peers", the delegated routing endpoints, the trustless gateways and the DNS-over-HTTPS
 * resolvers, each with on/off, with the blocks each gateway served and got wrong and the names
 * each endpoint and resolver answered. Saving applies to the next fetch (no restart).
 */
export function ExchangeSettingsForm (): JSX.Element {
  const [view, setView] = useState<ExchangeView | null>(null)
  const [draft, setDraft] = useState<ExchangeSettings | null>(null)
  const [error, setError] = useState<Error | null>(null)
  const [saved, setSaved] = useState(false)
  const show = (value: ExchangeView): void => { setView(value); setDraft(value.settings) }
  useEffect(() => { rpc.call('exchange.get', {}).then(show, setError) }, [])
  if (view === null || draft === null) return error !== null ? <ErrorMessage error={error} /> : <p class='muted'>Loading content sources…</p>
  const change = (next: ExchangeSettings): void => { setDraft(next); setSaved(false) }
  return (
    <form class='settings new-node' data-testid='exchange-settings' onSubmit={e => {
      e.preventDefault()
      setError(null)
      rpc.call('exchange.set', draft).then(value => { show(value); setSaved(true) }, setError)
    }}>
      <h2>Content sources</h2>
      <p class='muted prose'>
        Content that is not stored is fetched from connected peers (Bitswap) and from these HTTP
        gateways at the same time, and every block is checked against its CID before it is kept.
        Routing endpoints find peers that have the content, and IPNS records (every record is
        checked against its name's key). DNSLink names are looked up with the DNS-over-HTTPS
        resolvers (RFC 8484, or the JSON API where a resolver only speaks that).
        {view.bitswap !== undefined && ` Bitswap so far: ${count(view.bitswap.blocks, 'block')} (${formatBytes(view.bitswap.bytes)}).`}
      </p>
      <label class='row'>
        <input type='checkbox' name='share' checked={draft.share} onChange={e => change({ ...draft, share: e.currentTarget.checked })} />
        Share stored blocks with peers (peers that ask get the blocks this node holds; off: they are told it has none)
      </label>
      {view.served !== undefined && <p class='small' data-testid='served-home'>Also used, as a routing endpoint (IPNS records you publish are kept there too) and a trustless gateway: the home node of the server that served this app, <span class='mono'>{view.served}</span>.</p>}
      <SourceList title='Delegated routing endpoints' name='routers' sources={draft.routers} views={view.routers} onChange={routers => change({ ...draft, routers })} />
      <SourceList title='Trustless gateways' name='gateways' sources={draft.gateways} views={view.gateways} onChange={gateways => change({ ...draft, gateways })} />
      <SourceList title='DNS-over-HTTPS resolvers' name='resolvers' sources={draft.resolvers ?? []} views={view.resolvers} onChange={resolvers => change({ ...draft, resolvers })} />
      <div class='row'><button type='submit'>Save sources</button>{saved && <span role='status'>Saved; the next fetch uses them.</span>}</div>
      {error !== null && <ErrorMessage error={error} />}
    </form>
  )
}
