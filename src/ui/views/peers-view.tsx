import type { JSX } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import type { BitswapPeerStats } from '../../exchange/bitswap.ts'
import type { PeersSnapshot } from '../../p2p/peers.ts'
import { ErrorMessage } from '../components/error-message.tsx'
import { formatBytes } from '../../lib/format-bytes.ts'
import { nodeStatus } from '../node-events.ts'
import { rpc } from '../rpc.ts'

const kindLabels = { webrtc: 'WebRTC direct', 'webrtc-direct': 'WebRTC to a server (webrtc-direct)', relayed: 'relayed', websocket: 'WebSocket', other: 'other' } as const

/** Runs a throughput test to a peer, showing progress in the notice line; returns the result line. */
async function measure (peerId: string, progress: (line: string) => void): Promise<string> {
  const result = await rpc.call('peers.throughput', { peerId }, {
    onProgress: ({ sent, total }) => {
      progress(`Throughput to …${peerId.slice(-10)}: sent ${formatBytes(sent)} of ${formatBytes(total)}…`)
    }
  })
  return `Throughput to …${peerId.slice(-10)}: ${formatBytes(result.bytesPerSecond)}/s (${formatBytes(result.bytes)} in ${Math.round(result.ms)} ms over ${result.remoteAddr})`
}

/** Blocks and bytes sent to and received from a peer over Bitswap. */
function BitswapTraffic ({ stats }: { stats: BitswapPeerStats | undefined }): JSX.Element {
  if (stats === undefined) return <span class='muted'>—</span>
  return <span title='sent ↑ / received ↓'>↑ {stats.blocksSent} ({formatBytes(stats.bytesSent)}) · ↓ {stats.blocksReceived} ({formatBytes(stats.bytesReceived)})</span>
}

/** The peers page: own PeerId and addresses, relays, connections; dial, ping, throughput, disconnect. */
export function PeersView (): JSX.Element {
  const [snapshot, setSnapshot] = useState<PeersSnapshot | null>(null)
  const [error, setError] = useState<Error | null>(null)
  const [address, setAddress] = useState('')
  const [notice, setNotice] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const load = (): void => { rpc.call('peers.list', {}).then(s => { setSnapshot(s); setError(null) }, setError) }
  useEffect(() => {
    load()
    const timer = setInterval(load, 2000)
    return () => clearInterval(timer)
  }, [])
  const act = async (action: () => Promise<string>): Promise<void> => {
    setBusy(true)
    setNotice(null)
    setError(null)
    try {
      setNotice(await action())
      load()
    } catch (err) {
      setError(err as Error)
    } finally {
      setBusy(false)
    }
  }
  const status = nodeStatus.value
  return (
    <div class='peers'>
      <h2>This node</h2>
      {snapshot === null && error === null && <p class='muted'>Starting the node…</p>}
      {snapshot !== null && (
        <dl class='meta'>
          <dt>PeerId</dt><dd class='mono' data-testid='own-peer-id'>{snapshot.peerId}</dd>
          <dt>Addresses</dt>
          <dd>
            <ul class='plain mono' data-testid='own-addresses'>{snapshot.addresses.map(a => <li key={a}>{a}</li>)}</ul>
            {snapshot.addresses.length === 0 && <span class='muted'>None yet: other peers reach this node through a relay once it holds a reservation there.</span>}
          </dd>
          <dt>Relays</dt>
          <dd>
            <ul class='plain mono'>{status?.relays.map(r => <li key={r.address}>{r.connected ? '✓' : '✗'} {r.address}{r.error !== undefined && !r.connected ? <span class='muted'> — {r.error}</span> : null}</li>)}</ul>
            {status?.relays.length === 0 && <span class='muted'>None configured (see Settings).</span>}
          </dd>
          <dt>WebRTC hosts</dt><dd>{status?.webrtcHosts ?? 0} open page(s)</dd>
        </dl>
      )}
      <h2>Dial</h2>
      <form class='bar' onSubmit={e => { e.preventDefault(); void act(async () => { const r = await rpc.call('peers.dial', { address }); return `Connected to ${r.peerId} (${kindLabels[r.kind]})` }) }}>
        <input aria-label='Multiaddr to dial' class='mono' placeholder='/ip4/…/tcp/…/ws/p2p/12D3Koo…' value={address} onInput={e => setAddress(e.currentTarget.value)} />
        <button type='submit' disabled={busy || address.trim() === ''}>Dial</button>
      </form>
      {notice !== null && <p class='stored' role='status'>{notice}</p>}
      {error !== null && <ErrorMessage error={error} />}
      <h2>Connections ({snapshot?.connections.length ?? 0})</h2>
      <table class='connections' data-testid='connections'>
        <thead><tr><th>Peer</th><th>Kind</th><th>Remote address</th><th>RTT</th><th>Streams</th><th>Bitswap</th><th /></tr></thead>
        <tbody>
          {snapshot?.connections.map(c => (
            <tr key={c.id} data-kind={c.kind} data-peer={c.peerId} data-limited={String(c.limited)}>
              <td class='mono' title={c.peerId}>…{c.peerId.slice(-10)}</td>
              <td>{kindLabels[c.kind]}{c.limited ? ' (limited)' : ''} <span class='muted small'>{c.direction}</span></td>
              <td class='mono small addr'>{c.remoteAddr}</td>
              <td>{c.rtt !== undefined ? `${c.rtt} ms` : '—'}</td>
              <td class='small'>{c.streams.length}{c.streams.length > 0 && <span class='muted'> ({[...new Set(c.streams.map(s => s.protocol))].join(', ')})</span>}</td>
              <td class='small' data-testid='bitswap-traffic'><BitswapTraffic stats={snapshot.bitswap[c.peerId]} /></td>
              <td class='actions'>
                <button type='button' class='secondary' disabled={busy} onClick={() => { void act(async () => `RTT to …${c.peerId.slice(-10)}: ${Math.round((await rpc.call('peers.ping', { peerId: c.peerId })).rtt)} ms`) }}>Ping</button>{' '}
                <button type='button' class='secondary' disabled={busy || c.limited} title={c.limited ? 'Not on a limited relayed connection: it would use up the relay\'s allowance' : 'Send 8 MiB and time it'} onClick={() => { void act(async () => measure(c.peerId, setNotice)) }}>Throughput</button>{' '}
                <button type='button' class='secondary' disabled={busy} onClick={() => { void act(async () => { await rpc.call('peers.disconnect', { peerId: c.peerId }); return `Disconnected from …${c.peerId.slice(-10)}` }) }}>Disconnect</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
