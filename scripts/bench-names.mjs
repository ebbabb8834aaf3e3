// Names: how long the app's node takes to resolve an IPNS name and a DNSLink domain, cold (a
// lookup against a local routing endpoint or DNS-over-HTTPS resolver on loopback) and kept
// (answered from IndexedDB within the TTL), against @helia/ipns in a page on the same routing
// endpoint. Times are from the page (one RPC round trip to the worker included); p50 and the
// spread of 30 names each. Prints a table; never fails on numbers.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { createIPNSRecord, marshalIPNSRecord } from 'ipns'
import { base36 } from 'multiformats/bases/base36'
import { buildApp, installBenchRpc, serveApp } from './bench-app.mjs'

const NAMES = 30
const VALUE = '/ipfs/bafkqaddwgevxmmraojswg33smq'

function stats (samples) {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = q => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
  return { p50: at(0.5), min: sorted[0], max: sorted[sorted.length - 1], p90: at(0.9) }
}

const ms = n => `${n.toFixed(2)} ms`

/**
 * @param {import('playwright-core').Browser} browser
 * @param {string} benchOrigin where the Vite server serves `bench/names/reference-page.html`
 */
export async function runNamesBench (browser, benchOrigin) {
  console.log(`names: building the app, publishing ${3 * NAMES} names…`)
  buildApp()
  const { startRoutingServer, startDohServer } = await import('../test/support/name-servers.ts')
  const routing = await startRoutingServer()
  const doh = await startDohServer(['json'])
  const app = await serveApp()
  const context = await browser.newContext()
  try {
    const published = async () => {
      const names = []
      for (let i = 0; i < NAMES; i++) {
        const key = await generateKeyPair('Ed25519')
        const name = key.publicKey.toCID().toString(base36)
        routing.records.set(name, marshalIPNSRecord(await createIPNSRecord(key, VALUE, 1n, 3_600_000, { ttlNs: 300_000_000_000n })))
        names.push(name)
      }
      return names
    }
    const ours = await published()
    const theirs = await published()
    const domains = Array.from({ length: NAMES }, (_, i) => `site${i}.example.org`)
    for (const domain of domains) doh.txt.set(`_dnslink.${domain}`, { texts: [`dnslink=${VALUE}`], ttl: 300 })

    await context.addInitScript(installBenchRpc)
    const page = await context.newPage()
    await page.goto(`${app.origin}/`)
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 })
    await page.evaluate(async ({ routers, resolvers }) => globalThis.benchRpc('exchange.set', { share: true, routers, gateways: [], resolvers }),
      { routers: [{ url: routing.url, enabled: true }], resolvers: [{ url: `${doh.url}/dns-query`, enabled: true }] })
    const time = async names => page.evaluate(async list => {
      const out = []
      for (const name of list) {
        const started = performance.now()
        await globalThis.benchRpc('names.resolve', { name })
        out.push(performance.now() - started)
      }
      return out
    }, names)
    // One warm-up lookup of each kind (the first one starts the worker's name resolver).
    await time([theirs.at(-1)])
    const cold = await time(ours.slice(0, -1))
    const kept = await time(ours.slice(0, -1))
    const dnsCold = await time(domains)
    const dnsKept = await time(domains)

    const reference = await context.newPage()
    await reference.goto(`${benchOrigin}/bench/names/reference-page.html`)
    await reference.waitForFunction(() => window.namesReference !== undefined)
    await reference.evaluate(async url => window.namesReference.start(url), routing.url)
    await reference.evaluate(async name => window.namesReference.resolve(name), theirs[0])
    const helia = []
    for (const name of theirs.slice(1)) helia.push(await reference.evaluate(async n => window.namesReference.resolve(n), name))

    const rows = [
      ['IPNS, cold (local routing endpoint)', 'Cairn: Service Worker, names.resolve', stats(cold), stats(helia).p50 / stats(cold).p50],
      ['IPNS, cold (local routing endpoint)', '@helia/ipns in a page (reference)', stats(helia), undefined],
      ['IPNS, kept (IndexedDB, within TTL)', 'Cairn: Service Worker, names.resolve', stats(kept), undefined],
      ['DNSLink, cold (local DoH, JSON API)', 'Cairn: Service Worker, names.resolve', stats(dnsCold), undefined],
      ['DNSLink, kept (IndexedDB, within TTL)', 'Cairn: Service Worker, names.resolve', stats(dnsKept), undefined]
    ]
    console.log(`\nnames (p50 of ${NAMES - 1} names each; the page's RPC round trip to the worker included)`)
    console.log('| case | implementation | p50 | p90 | min–max | vs reference |')
    console.log('|---|---|---:|---:|---|---:|')
    for (const [what, who, s, ratio] of rows) {
      console.log(`| ${what} | ${who} | ${ms(s.p50)} | ${ms(s.p90)} | ${ms(s.min)}–${ms(s.max)} | ${ratio === undefined ? (who.includes('reference') ? 'reference' : '') : `${ratio.toFixed(2)}×`} |`)
    }
    console.log(`targets: kept p50 < 5 ms (${stats(kept).p50 < 5 ? 'met' : 'missed'}); cold p50 < 50 ms (${stats(cold).p50 < 50 ? 'met' : 'missed'}); cold ≥ 1.0× @helia/ipns (${stats(helia).p50 / stats(cold).p50 >= 1 ? 'met' : 'missed'})`)
  } finally {
    await context.close()
    app.stop()
    await routing.stop()
    await doh.stop()
  }
}
