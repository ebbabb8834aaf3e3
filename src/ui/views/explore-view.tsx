import type { JSX } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { parseDagJson } from '../../content/dag/dag-json-tree.ts'
import type { ResolvedNode } from '../../content/dag/resolve-path.ts'
import type { FetchProgress } from '../../content/fetch-session.ts'
import { ErrorMessage } from '../components/error-message.tsx'
import { NameChainView } from '../components/name-chain.tsx'
import { DownloadLink } from '../components/download-link.tsx'
import { FetchEverything } from '../components/fetch-everything.tsx'
import { NodeGraph } from '../components/node-graph.tsx'
import { useCall } from '../components/use-call.ts'
import { ValueTree } from '../components/value-tree.tsx'
import { sourcesText } from '../format.ts'
import { formatBytes } from '../../lib/format-bytes.ts'
import { navigate, routeHash } from '../router.ts'
import { count } from '../../lib/count.ts'

/** `/ipfs/<root>/<segments>` for the path bar. */
function normalise (path: string): string {
  const trimmed = path.trim()
  const link = /^ip([fn])s:\/\/(.*)$/i.exec(trimmed)
  if (link !== null) return `/ip${link[1].toLowerCase()}s/${link[2]}`
  if (trimmed === '' || trimmed.startsWith('/')) return trimmed
  return `/ipfs/${trimmed}`
}

function Breadcrumbs ({ node, path }: { node: ResolvedNode, path: string }): JSX.Element {
  const root = path.replace(/^\/ipfs\//, '').split('/')[0]
  let walked = `/ipfs/${root}`
  return (
    <nav class='crumbs' aria-label='Path walked'>
      {node.steps.map((step, i) => {
        if (i > 0) walked = `${walked}/${encodeURIComponent(step.segment)}`
        const label = i === 0 ? `${root.slice(0, 10)}…` : step.segment
        return (
          <span key={i}>
            {i > 0 && <span class='sep'>/</span>}
            <a href={routeHash({ view: 'explore', path: walked })} title={step.cid}>{label}</a>
          </span>
        )
      })}
    </nav>
  )
}

/** Links to the same content through the gateway: open it, or download its block or its DAG. */
function GatewayLinks ({ node, path }: { node: ResolvedNode, path: string }): JSX.Element {
  // A path that ends inside a block is not a gateway path; the block itself is.
  const open = node.remainder.length === 0 && path.startsWith('/ipfs/') ? path : `/ipfs/${node.cid}`
  return (
    <p class='gateway-links' data-testid='gateway-links'>
      <a href={open} target='_blank' rel='noopener noreferrer'>Open</a> ·{' '}
      <DownloadLink cid={node.cid} format='raw'>Download raw block</DownloadLink> ·{' '}
      <DownloadLink cid={node.cid} format='car'>Download CAR</DownloadLink>
      {node.codec === 'dag-pb' && <> · <DownloadLink cid={node.cid} format='tar'>Download TAR</DownloadLink></>}
      {node.codec === 'dag-pb' && <> · <a href={routeHash({ view: 'site', cid: node.cid, path: '/' })}>Open as website</a></>}
    </p>
  )
}

/** DAG-CBOR that DAG-JSON cannot represent, in CBOR diagnostic notation, with the reason. */
function Diagnostic ({ text }: { text: string }): JSX.Element {
  return (
    <div class='value' data-testid='diagnostic'>
      <p class='muted prose'>
        This block is valid DAG-CBOR, but DAG-JSON cannot represent it: it holds a map whose first key
        is <code>"/"</code>, the form DAG-JSON reserves for links and bytes. It is shown in CBOR
        diagnostic notation (RFC 8949) instead, and cannot be edited as DAG-JSON.
      </p>
      <pre class='json'>{text}</pre>
    </div>
  )
}

function Resolved ({ node, path }: { node: ResolvedNode, path: string }): JSX.Element {
  const base = path.replace(/\/+$/, '')
  const linkHref = (linkPath: string, cid: string): string =>
    routeHash({ view: 'explore', path: linkPath === '' ? `/ipfs/${cid}` : `${base}/${linkPath.split('/').map(encodeURIComponent).join('/')}` })
  return (
    <section class='resolved' data-testid='resolved'>
      <Breadcrumbs node={node} path={path} />
      <dl class='meta'>
        <dt>Block</dt><dd><a href={routeHash({ view: 'inspect', cid: node.cid })} data-testid='block-cid'>{node.cid}</a></dd>
        <dt>Codec</dt><dd data-testid='codec'>{node.codec}</dd>
        <dt>Size</dt><dd data-testid='size'>{formatBytes(node.size)} ({node.size} bytes)</dd>
        {node.remainder.length > 0 && <><dt>Inside block</dt><dd>/{node.remainder.join('/')}</dd></>}
      </dl>
      <GatewayLinks node={node} path={path} />
      <FetchEverything cid={node.cid} key={node.cid} />
      <div class='split'>
        {node.json !== undefined
          ? <div class='value' data-testid='value'><ValueTree value={parseDagJson(node.json)} linkHref={linkHref} /></div>
          : <Diagnostic text={node.diagnostic ?? ''} />}
        <NodeGraph cid={node.cid} codec={node.codec} links={node.links} linkHref={linkHref} />
      </div>
      {node.json !== undefined &&
        <details>
          <summary>DAG-JSON</summary>
          <pre class='json' data-testid='json'>{node.json}</pre>
        </details>}
    </section>
  )
}

/** What a resolve that has to fetch shows while it runs. */
function Fetching ({ progress, cancel }: { progress: FetchProgress | undefined, cancel: () => void }): JSX.Element {
  return (
    <div class='progress' data-testid='resolve-progress'>
      <progress />
      <span>
        {progress === undefined
          ? 'Resolving…'
          : `Fetching from the network: ${count(progress.blocks, 'block')}, ${formatBytes(progress.bytes)} from ${sourcesText(progress.sources)}`}
      </span>
      <button type='button' class='secondary' onClick={cancel}>Cancel</button>
    </div>
  )
}

/** Paste a CID or path, see what it resolves to (fetched from peers and gateways when not stored). */
export function ExploreView ({ path }: { path: string }): JSX.Element {
  const [input, setInput] = useState(path)
  const target = normalise(path)
  const { state, start, cancel } = useCall('dag.get')
  useEffect(() => { if (target !== '') start({ path: target }) }, [target])
  return (
    <section>
      <form class='bar' onSubmit={e => { e.preventDefault(); navigate({ view: 'explore', path: normalise(input) }) }}>
        <label for='path'>CID or path</label>
        <input id='path' name='path' value={input} onInput={e => setInput(e.currentTarget.value)} placeholder='/ipfs/bafy…/a/b/0' spellcheck={false} autocomplete='off' />
        <button type='submit'>Resolve</button>
      </form>
      {target === '' && <p class='muted'>Paste a CID, an /ipfs/ path or an /ipns/ name (a key or a DNSLink domain), or <a href='#/new'>create a node</a>.</p>}
      {state.status === 'running' && <Fetching progress={state.progress} cancel={cancel} />}
      {state.status === 'cancelled' && <p class='muted' role='status'>Cancelled. Blocks fetched so far are kept; resolve again to go on.</p>}
      {state.status === 'error' && <ErrorMessage error={state.error} />}
      {state.status === 'done' && state.value.name !== undefined && <NameChainView chain={state.value.name} />}
      {state.status === 'done' && <Resolved node={state.value} path={state.value.name?.resolved ?? target} />}
    </section>
  )
}
