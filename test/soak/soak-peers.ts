// One process of simulated peers for `npm run soak` (see soak.ts): plain Node.js libp2p
// nodes (WebSockets, noise, yamux, gossipsub, Bitswap) each in one room of Cairn's rooms,
// chatting through the relay and keeping small files online on its home node. Reports to
// the parent over IPC every few seconds.
import { randomBytes } from 'node:crypto'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { gossipsub } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import * as raw from 'multiformats/codecs/raw'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { MemoryBlockstore } from '../../src/content/blockstore/memory-blockstore.ts'
import { BitswapService } from '../../src/exchange/bitswap.ts'
import { ready } from '../../src/hotpath/index.ts'
import { RoomService } from '../../src/rooms/room-service.ts'
import { MemoryRoomStore } from '../../src/rooms/room-store.ts'

const [relayAddress, homeUrl, token, countText, roomsText, offsetText, chatEveryText, pinEveryText, kind] = process.argv.slice(2)
/**
 * Probes are a few peers in a process of their own, two to a room: their event loop is not
 * shared with a hundred others, so what they measure between each other is the relay's part
 * of the latency (and the network's), not the harness's.
 */
const probes = kind === 'probes'
const count = Number(countText)
const rooms = Number(roomsText)
const offset = Number(offsetText)
const chatEveryMs = Number(chatEveryText)
const pinEveryMs = Number(pinEveryText)

/** Wall-clock time in ms with sub-millisecond precision, comparable across processes. */
const now = (): number => performance.timeOrigin + performance.now()

const report = { sent: 0, received: 0, latencies: [] as number[], probeLatencies: [] as number[], pinsAsked: 0, pinned: 0, pinFailed: 0, pinMs: [] as number[], errors: [] as string[] }
const problem = (what: string, err: unknown): void => { if (report.errors.length < 20) report.errors.push(`${what}: ${(err as Error).message}`) }

async function startPeer (index: number): Promise<{ stop: () => Promise<void>, chat: () => Promise<void>, pin: () => Promise<void> }> {
  const privateKey = await generateKeyPair('Ed25519')
  const node = await createLibp2p({
    privateKey,
    transports: [webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: { denyDialMultiaddr: async () => false },
    services: { identify: identify(), pubsub: gossipsub({ globalSignaturePolicy: 'StrictSign', allowPublishToZeroTopicPeers: true }) }
  })
  const blockstore = new MemoryBlockstore()
  const bitswap = new BitswapService({ libp2p: node, blockstore, sharing: () => true })
  await bitswap.start()
  await node.dial(multiaddr(relayAddress))
  const room = `soak-${(probes ? Math.floor(index / 2) : offset + index) % rooms}`
  const service = new RoomService({
    pubsub: node.services.pubsub,
    peerId: node.peerId.toString(),
    privateKey,
    history: {
      get: async cid => blockstore.getBytes(cid),
      put: async (cid, bytes) => { await blockstore.put(cid, bytes) }
    },
    store: new MemoryRoomStore(),
    emit: event => {
      if (event.type !== 'room.message' || event.detail.author === node.peerId.toString()) return
      const [, sentText, from] = /^t=([\d.]+) (probe|peer) /.exec(event.detail.text) ?? []
      const sentAt = Number(sentText)
      if (Number.isFinite(sentAt)) {
        report.received++
        report.latencies.push(now() - sentAt)
        if (probes && from === 'probe') report.probeLatencies.push(now() - sentAt)
      }
    },
    messagesPerSecond: 50
  })
  await service.start()
  await service.setNick(`peer-${offset + index}`)
  await service.join(room)
  const self = node.peerId.toString()
  return {
    stop: async () => { service.stop(); await bitswap.stop(); await node.stop() },
    chat: async () => {
      await service.send(room, `t=${now().toFixed(3)} ${probes ? 'probe' : 'peer'} hello from ${self.slice(-6)}`)
      report.sent++
    },
    pin: async () => {
      // A small file of its own, kept online on the home node, which fetches it from this peer.
      const bytes = randomBytes(4096)
      const cid = CID.createV1(raw.code, await sha256.digest(bytes))
      await blockstore.put(cid, bytes)
      report.pinsAsked++
      const started = now()
      const post = await fetch(`${homeUrl}/pins`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ cid: cid.toString(), origins: [`${relayAddress}/p2p-circuit/p2p/${self}`] }) })
      const { requestid } = await post.json() as { requestid: string }
      for (;;) {
        await new Promise(resolve => setTimeout(resolve, 500))
        const status = await (await fetch(`${homeUrl}/pins/${requestid}`, { headers: { authorization: `Bearer ${token}` } })).json() as { status: string, info?: { status_details?: string } }
        if (status.status === 'pinned') { report.pinned++; report.pinMs.push(now() - started); return }
        if (status.status === 'failed') { report.pinFailed++; problem('pin failed', new Error(status.info?.status_details)); return }
      }
    }
  }
}

await ready()
const peers: Array<Awaited<ReturnType<typeof startPeer>>> = []
for (let i = 0; i < count; i++) {
  try {
    peers.push(await startPeer(i))
  } catch (err) {
    problem('start', err)
  }
}
process.send?.({ kind: 'ready', peers: peers.length })
if (report.errors.length > 0) console.error(`soak peers: ${count - peers.length} did not start: ${report.errors.join('; ')}`)

// Each peer chats and pins on its own schedule, spread so the load is even.
const timers = peers.flatMap((peer, i) => {
  const chat = setTimeout(() => {
    const every = setInterval(() => { peer.chat().catch(err => problem('chat', err)) }, chatEveryMs)
    timers.push(every)
  }, (i / peers.length) * chatEveryMs)
  const pin = setTimeout(() => {
    const every = setInterval(() => { peer.pin().catch(err => problem('pin', err)) }, pinEveryMs)
    timers.push(every)
  }, (i / peers.length) * pinEveryMs)
  return [chat, pin]
})

// How long this process's event loop was held up: a message that arrives meanwhile waits,
// which the latency then counts, though the relay did nothing wrong.
const loopDelay = monitorEventLoopDelay({ resolution: 10 })
loopDelay.enable()

const reporter = setInterval(() => {
  process.send?.({ kind: 'report', ...report, loopDelayMs: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 } })
  loopDelay.reset()
  report.latencies = []
  report.probeLatencies = []
  report.pinMs = []
  report.errors = []
  report.sent = report.received = report.pinsAsked = report.pinned = report.pinFailed = 0
}, 5_000)

process.on('message', (message: { kind: string }) => {
  if (message.kind !== 'stop') return
  for (const timer of timers) clearInterval(timer)
  clearInterval(reporter)
  process.send?.({ kind: 'report', ...report })
  void Promise.all(peers.map(async p => p.stop().catch(() => {}))).finally(() => process.exit(0))
})
