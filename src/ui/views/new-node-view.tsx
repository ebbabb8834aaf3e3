import type { JSX } from 'preact'
import { useState } from 'preact/hooks'
import type { HashName } from '../../content/dag/put-node.ts'
import { ErrorMessage } from '../components/error-message.tsx'
import { repoVersion } from '../components/repo-summary.tsx'
import { rpc } from '../rpc.ts'
import { routeHash } from '../router.ts'

type Codec = 'dag-cbor' | 'dag-json' | 'raw'

const EXAMPLE = `{
  "name": "a first node",
  "tags": ["ipld", "cairn"],
  "size": 42,
  "blob": {"/": {"bytes": "aGVsbG8"}}
}`

/** Write DAG-JSON, pick codec and hash, store it, get its CID. */
export function NewNodeView (): JSX.Element {
  const [json, setJson] = useState(EXAMPLE)
  const [codec, setCodec] = useState<Codec>('dag-cbor')
  const [hash, setHash] = useState<HashName>('sha2-256')
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<{ cid: string, size: number } | Error | null>(null)
  const [submitted, setSubmitted] = useState('')

  const store = async (e: Event): Promise<void> => {
    e.preventDefault()
    setBusy(true)
    setResult(null)
    setSubmitted(json)
    try {
      setResult(await rpc.call('dag.put', { json, codec, hash }))
      repoVersion.value++
    } catch (err) {
      setResult(err as Error)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section>
      <form class='new-node' onSubmit={e => { void store(e) }}>
        <label for='json'>Node as DAG-JSON <span class='muted'>(links: {'{"/": "<cid>"}'}, bytes: {'{"/": {"bytes": "<base64>"}}'})</span></label>
        <textarea id='json' name='json' rows={12} value={json} onInput={e => setJson(e.currentTarget.value)} spellcheck={false} />
        <div class='row'>
          <label>Codec <select name='codec' value={codec} onChange={e => setCodec(e.currentTarget.value as Codec)}>
            <option value='dag-cbor'>dag-cbor</option>
            <option value='dag-json'>dag-json</option>
            <option value='raw'>raw (bytes or a string)</option>
          </select></label>
          <label>Hash <select name='hash' value={hash} onChange={e => setHash(e.currentTarget.value as HashName)}>
            <option value='sha2-256'>sha2-256</option>
            <option value='blake3'>blake3</option>
          </select></label>
          <button type='submit' disabled={busy}>{busy ? 'Storing…' : 'Store'}</button>
        </div>
      </form>
      {result instanceof Error && <ErrorMessage error={result} source={submitted} />}
      {result !== null && !(result instanceof Error) && (
        <div class='stored' role='status' data-testid='stored'>
          Stored {result.size} bytes as <code data-testid='new-cid'>{result.cid}</code>
          {' '}<a href={routeHash({ view: 'explore', path: `/ipfs/${result.cid}` })}>explore</a>
          {' · '}<a href={routeHash({ view: 'inspect', cid: result.cid })}>inspect</a>
        </div>
      )}
    </section>
  )
}
