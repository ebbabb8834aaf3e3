import type { JSX } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import type { EffectiveSettings } from '../../p2p/network-service.ts'
import type { NetworkSettings } from '../../p2p/settings.ts'
import { ErrorMessage } from '../components/error-message.tsx'
import { ExchangeSettingsForm } from '../components/exchange-settings.tsx'
import { PinningServices } from '../components/pinning-services.tsx'
import { refreshStatus } from '../node-events.ts'
import { rpc } from '../rpc.ts'

function lines (text: string): string[] {
  return text.split('\n').map(l => l.trim()).filter(l => l !== '')
}

/** The settings page: the network, the sources of content, the pinning services. */
export function SettingsView (): JSX.Element {
  return (
    <>
      <NetworkSettingsForm />
      <ExchangeSettingsForm />
      <PinningServices />
      <LinkHandlers />
    </>
  )
}

/**
 * Makes Cairn open `ipfs://` and `ipns://` links in this browser. An installed Cairn has them
 * from its manifest; in a tab the browser asks the user once.
 */
function LinkHandlers (): JSX.Element {
  const [answer, setAnswer] = useState<string | undefined>(undefined)
  const register = (): void => {
    try {
      for (const scheme of ['ipfs', 'ipns']) navigator.registerProtocolHandler(scheme, `${location.origin}/?uri=%s`)
      setAnswer('Asked: the browser shows a prompt (or an icon in the address bar) to confirm.')
    } catch (err) {
      setAnswer(`This browser refused: ${(err as Error).message}`)
    }
  }
  return (
    <section class='settings'>
      <h2>ipfs:// links</h2>
      <p class='muted'>Open <code>ipfs://</code> and <code>ipns://</code> links with Cairn.</p>
      {typeof navigator.registerProtocolHandler === 'function'
        ? <button type='button' class='secondary' onClick={register}>Open ipfs:// links with Cairn</button>
        : <p class='muted'>This browser cannot hand links to web apps.</p>}
      {answer !== undefined && <p role='status'>{answer}</p>}
    </section>
  )
}

/** Network settings: relays, local addresses, ICE servers. Saving restarts the network. */
function NetworkSettingsForm (): JSX.Element {
  const [loaded, setLoaded] = useState<{ settings: NetworkSettings, effective: EffectiveSettings } | null>(null)
  const [useServed, setUseServed] = useState(true)
  const [relays, setRelays] = useState('')
  const [local, setLocal] = useState<'auto' | 'on' | 'off'>('auto')
  const [ice, setIce] = useState('')
  const [error, setError] = useState<Error | null>(null)
  const [saved, setSaved] = useState(false)
  const [saving, setSaving] = useState(false)
  const show = (value: { settings: NetworkSettings, effective: EffectiveSettings }): void => {
    setLoaded(value)
    setUseServed(value.settings.relays === null)
    setRelays((value.settings.relays ?? value.effective.relays).join('\n'))
    setLocal(value.settings.allowLocalAddresses === null ? 'auto' : value.settings.allowLocalAddresses ? 'on' : 'off')
    setIce(value.settings.iceServers.join('\n'))
  }
  useEffect(() => { rpc.call('settings.get', {}).then(show, setError) }, [])
  if (loaded === null) return error !== null ? <ErrorMessage error={error} /> : <p class='muted'>Loading settings…</p>
  return (
    <form class='settings new-node' onSubmit={e => {
      e.preventDefault()
      setSaving(true)
      setSaved(false)
      setError(null)
      const settings: NetworkSettings = {
        relays: useServed ? null : lines(relays),
        allowLocalAddresses: local === 'auto' ? null : local === 'on',
        iceServers: lines(ice)
      }
      rpc.call('settings.set', settings, { timeout: 60_000 }).then(value => { show(value); setSaved(true); void refreshStatus() }, setError).finally(() => setSaving(false))
    }}>
      <h2>Network settings</h2>
      <label class='row'><input type='checkbox' checked={useServed} onChange={e => setUseServed(e.currentTarget.checked)} /> Use the relay that served this app {loaded.settings.relays === null && loaded.effective.relays.length === 0 && <span class='muted'>(none: this server runs no relay)</span>}</label>
      <label for='relays'>Relays and bootstrap peers, one multiaddr per line (ending in /p2p/&lt;PeerId&gt;)</label>
      <textarea id='relays' rows={4} disabled={useServed} value={relays} onInput={e => setRelays(e.currentTarget.value)} />
      <label for='local'>Dial loopback, private and insecure (ws://) addresses</label>
      <select id='local' value={local} onChange={e => setLocal(e.currentTarget.value as 'auto' | 'on' | 'off')}>
        <option value='auto'>Automatic: only when the app is served from localhost (now {loaded.effective.allowLocalAddresses ? 'on' : 'off'})</option>
        <option value='on'>On</option>
        <option value='off'>Off</option>
      </select>
      <label for='ice'>STUN/TURN servers for WebRTC, one URL per line (none needed on one machine or LAN)</label>
      <textarea id='ice' rows={2} value={ice} onInput={e => setIce(e.currentTarget.value)} placeholder='stun:stun.example.org:3478' />
      <div class='row'><button type='submit' disabled={saving}>{saving ? 'Restarting the network…' : 'Save and reconnect'}</button>{saved && <span role='status'>Saved; the network restarted with the same PeerId and rooms.</span>}</div>
      {error !== null && <ErrorMessage error={error} />}
    </form>
  )
}
