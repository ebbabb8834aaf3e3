import type { JSX } from 'preact'
import { useState } from 'preact/hooks'
import type { CidInfo } from '../../content/cid-inspect.ts'
import { ErrorMessage } from '../components/error-message.tsx'
import { useRpc } from '../components/use-rpc.ts'
import { navigate, routeHash } from '../router.ts'

function Info ({ info }: { info: CidInfo }): JSX.Element {
  const hex = (n: number): string => `0x${n.toString(16)}`
  return (
    <section data-testid='cid-info'>
      <dl class='meta'>
        <dt>Version</dt><dd data-testid='version'>CIDv{info.version}</dd>
        <dt>Multibase</dt><dd data-testid='multibase'>{info.multibase.name}{info.multibase.prefix !== '' && ` (prefix "${info.multibase.prefix}")`}</dd>
        <dt>Codec</dt><dd data-testid='codec'>{info.codec.name} ({hex(info.codec.code)})</dd>
        <dt>Multihash</dt><dd data-testid='multihash'>{info.multihash.name} ({hex(info.multihash.code)}), {info.multihash.length} bytes</dd>
        <dt>Digest</dt><dd class='mono' data-testid='digest'>{info.multihash.digestHex}</dd>
        <dt>CIDv1</dt><dd class='mono' data-testid='v1'>{info.v1}</dd>
        <dt>CIDv0</dt><dd class='mono' data-testid='v0'>{info.v0 ?? 'none (CIDv0 is only dag-pb with sha2-256)'}</dd>
      </dl>
      <h3>Other bases</h3>
      <table class='bases'>
        <tbody>
          {info.bases.map(b => <tr key={b.name}><th>{b.name}</th><td class='mono'>{b.text}</td></tr>)}
        </tbody>
      </table>
      <p><a href={routeHash({ view: 'explore', path: `/ipfs/${info.v1}` })}>Explore this node</a></p>
    </section>
  )
}

/** Shows everything a CID says about itself. */
export function InspectView ({ cid }: { cid: string }): JSX.Element {
  const [input, setInput] = useState(cid)
  const state = useRpc('cid.inspect', cid.trim() === '' ? null : { cid }, cid)
  return (
    <section>
      <form class='bar' onSubmit={e => { e.preventDefault(); navigate({ view: 'inspect', cid: input.trim() }) }}>
        <label for='cid'>CID</label>
        <input id='cid' name='cid' value={input} onInput={e => setInput(e.currentTarget.value)} placeholder='bafy… or Qm…' spellcheck={false} autocomplete='off' />
        <button type='submit'>Inspect</button>
      </form>
      {state.status === 'error' && <ErrorMessage error={state.error} />}
      {state.status === 'done' && <Info info={state.value} />}
    </section>
  )
}
