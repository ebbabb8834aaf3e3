/**
 * The exchange benchmark's references, each in a page as a web app would run it:
 * - Helia (its own libp2p with WebSockets, Bitswap, `blockstore-idb`) fetching a file from a
 *   Helia node over WebSockets and reading it with `@helia/unixfs`;
 * - `@helia/verified-fetch` (the engine of the IPFS service-worker gateway) fetching the same
 *   file from a trustless gateway.
 * `scripts/bench-exchange.mjs` drives both through `window.reference`.
 */
import { unixfs } from '@helia/unixfs'
import { createVerifiedFetch } from '@helia/verified-fetch'
import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { IDBBlockstore } from 'blockstore-idb'
import { createHelia } from 'helia'
import { CID } from 'multiformats/cid'

/** What one timed read gave. */
interface Timed { ms: number, bytes: number }

const reference = {
  /** Helia in this page, blocks into IndexedDB: dial `address`, read the whole file `root`. */
  async heliaCat (address: string, root: string): Promise<Timed> {
    const blockstore = new IDBBlockstore(`helia-bench-${Date.now()}`)
    await blockstore.open()
    const helia = await createHelia({
      blockstore,
      libp2p: {
        config: 'replace',
        addresses: { listen: [] },
        transports: [webSockets()],
        connectionEncrypters: [noise()],
        streamMuxers: [yamux()],
        connectionGater: { denyDialMultiaddr: async () => false },
        services: { identify: identify() }
      },
      http: { delegatedRouters: [], recursiveGateways: [] },
      routers: []
    })
    await helia.start()
    try {
      await helia.libp2p.dial(multiaddr(address))
      const started = performance.now()
      let bytes = 0
      for await (const chunk of unixfs(helia).cat(CID.parse(root))) bytes += chunk.length
      return { ms: performance.now() - started, bytes }
    } finally {
      await helia.stop()
      await blockstore.close()
    }
  },

  /**
   * `@helia/verified-fetch` with one trustless gateway: read the whole file `root`. By default
   * it keeps blocks in memory (gone on reload); `persistent` gives it a Helia node whose
   * blockstore is `blockstore-idb`, as Cairn keeps blocks.
   */
  async verifiedFetch (gateway: string, root: string, persistent: boolean): Promise<Timed> {
    let blockstore: IDBBlockstore | undefined
    let fetch
    if (persistent) {
      blockstore = new IDBBlockstore(`verified-fetch-bench-${Date.now()}`)
      await blockstore.open()
      const helia = await createHelia({
        blockstore,
        libp2p: { config: 'replace', addresses: { listen: [] }, transports: [], connectionEncrypters: [noise()], streamMuxers: [yamux()] },
        http: { delegatedRouters: [], recursiveGateways: [gateway], allowLocal: true, allowInsecure: true },
        routers: []
      })
      await helia.start()
      fetch = await createVerifiedFetch(helia)
    } else {
      fetch = await createVerifiedFetch({ gateways: [gateway], routers: [], allowLocal: true, allowInsecure: true })
    }
    try {
      const started = performance.now()
      const response = await fetch(`ipfs://${root}`)
      const bytes = (await response.arrayBuffer()).byteLength
      if (!response.ok) throw new Error(`verified-fetch answered ${response.status}`)
      return { ms: performance.now() - started, bytes }
    } finally {
      await fetch.stop()
      await blockstore?.close()
    }
  }
}

declare global {
  interface Window { reference?: typeof reference }
}
window.reference = reference
document.getElementById('out')!.textContent = 'reference ready'
