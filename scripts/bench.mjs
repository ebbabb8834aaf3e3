#!/usr/bin/env node
// Runs the benchmarks in Debian's Chromium (real WASM, real IndexedDB, real WebRTC) and prints
// tables of ours against the reference libraries, measured in the same run. Never fails on numbers.
//   npm run bench [-- --only local|hotpath|blockstore|car|cold|load|network|exchange|webrtc|gc|library|unixfs|gateway|rooms|names|home]
// local: hashing, codecs, blockstore, CAR import, GC, adding files, the gateway (TAR, a SPA's
// deep link), in one page; hotpath: hashing and codecs alone; blockstore: putMany alone; car: CAR import alone (small and large blocks); gateway: the TAR
// and deep link alone; cold: a stopped Service Worker's first answer (see bench-cold.mjs);
// load: a 10 000-entry folder's listing and 1 000 files at once (see bench-gateway-load.mjs);
// network: two browser profiles and a relay (see bench-network.mjs); exchange: fetching content from Helia, a trustless
// gateway and another browser (see bench-exchange.mjs); webrtc: its browser-to-browser part alone; unixfs: adding files, in Chromium into
// IndexedDB and in Node.js into memory (bench/unixfs-node.bench.ts); rooms: a late joiner's
// history from a member and from the relay's archive (see bench-rooms.mjs); names: resolving
// IPNS names and DNSLink domains, cold and kept, against @helia/ipns (see bench-names.mjs);
// home: the relay as a home node in Node.js, Keep online against plain Bitswap, GET /pins (bench/home-node.bench.ts).
import { spawnSync } from 'node:child_process'
import { parseArgs } from 'node:util'
import { createServer } from 'vite'
import { chromium } from 'playwright-core'
import { runColdBench } from './bench-cold.mjs'
import { runExchangeBench } from './bench-exchange.mjs'
import { runGatewayLoadBench } from './bench-gateway-load.mjs'
import { runLibraryBench } from './bench-library.mjs'
import { runRoomsBench } from './bench-rooms.mjs'
import { runNamesBench } from './bench-names.mjs'
import { runNetworkBench } from './bench-network.mjs'

const { values } = parseArgs({ options: { only: { type: 'string' } } })
if (values.only !== undefined && !['local', 'hotpath', 'blockstore', 'car', 'cold', 'load', 'network', 'exchange', 'webrtc', 'gc', 'library', 'unixfs', 'gateway', 'rooms', 'names', 'home'].includes(values.only)) {
  console.error(`--only takes "local", "hotpath", "blockstore", "car", "cold", "load", "network", "exchange", "webrtc", "gc", "library", "unixfs", "gateway", "rooms", "names" or "home", not "${values.only}"`)
  process.exit(2)
}
// The home node runs in Node.js only: no browser or page server needed.
if (values.only === 'home') {
  runNodeBench('bench/home-node.bench.ts', ['--expose-gc'])
  process.exit()
}

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const args = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--allow-loopback-in-peer-connection']

const server = await createServer({
  configFile: false,
  root: process.cwd(),
  logLevel: 'error',
  server: { port: 5199, host: '127.0.0.1' },
  // Both pages are scanned up front, so no dependency is discovered (and reloaded) mid-run.
  optimizeDeps: { entries: ['bench/index.html', 'bench/network/page-node.html', 'bench/exchange/reference-page.html', 'bench/names/reference-page.html'] }
})
await server.listen()
const browser = await chromium.launch({ executablePath, args })
try {
  if (values.only === undefined || values.only === 'local') await runLocalBench()
  if (values.only === 'hotpath') await runLocalBench('?only=hotpath')
  if (values.only === 'blockstore') await runLocalBench('?only=blockstore')
  if (values.only === 'car') await runLocalBench('?only=car')
  if (values.only === 'gc') await runLocalBench('?only=gc')
  if (values.only === 'unixfs') await runLocalBench('?only=unixfs')
  if (values.only === 'gateway') await runLocalBench('?only=gateway')
  if (values.only === undefined || values.only === 'unixfs') runNodeUnixfsBench()
  if (values.only === undefined || values.only === 'network') await runNetworkBench(browser, 'http://127.0.0.1:5199')
  if (values.only === undefined || values.only === 'exchange') await runExchangeBench(browser, 'http://127.0.0.1:5199')
  if (values.only === 'webrtc') await runExchangeBench(browser, 'http://127.0.0.1:5199', { webrtcOnly: true })
  if (values.only === undefined || values.only === 'cold') await runColdBench(browser)
  if (values.only === undefined || values.only === 'load') await runGatewayLoadBench(browser)
  if (values.only === undefined || values.only === 'library') await runLibraryBench(browser)
  if (values.only === undefined || values.only === 'rooms') await runRoomsBench(browser)
  if (values.only === undefined || values.only === 'names') await runNamesBench(browser, 'http://127.0.0.1:5199')
  if (values.only === undefined) runNodeBench('bench/home-node.bench.ts', ['--expose-gc'])
} finally {
  await browser.close()
  await server.close()
}

/** The importers in plain Node.js (the hot path loads there without Vite). */
function runNodeUnixfsBench () {
  runNodeBench('bench/unixfs-node.bench.ts')
}

/** A benchmark that runs in plain Node.js, in a process of its own. */
function runNodeBench (file, flags = []) {
  const result = spawnSync(process.execPath, [...flags, file], { stdio: 'inherit' })
  if (result.status !== 0) process.exitCode = 1
}

async function runLocalBench (query = '') {
  const page = await browser.newPage()
  page.on('pageerror', err => console.error('page error:', err.message))
  await page.goto(`http://127.0.0.1:5199/bench/index.html${query}`)
  console.log('running benchmarks in Chromium (a few minutes)…')
  await page.waitForFunction(() => globalThis.benchDone !== undefined, undefined, { timeout: 15 * 60_000, polling: 1000 })
  const result = await page.evaluate(() => globalThis.benchDone)
  if ('error' in result) {
    console.error(result.error)
    process.exitCode = 1
  } else {
    console.log(`\n${result.userAgent}\n`)
    printTables(result.rows)
  }
  await page.close()
}

function rate (row) {
  const mib = row.opsPerSec * row.bytesPerOp / (1024 * 1024)
  return mib >= 1 ? `${mib.toFixed(mib < 100 ? 1 : 0)} MiB/s` : `${Math.round(row.opsPerSec)} ops/s`
}

function printTables (rows) {
  const groups = [...new Set(rows.map(r => r.group))]
  for (const group of groups) {
    console.log(`### ${group}\n`)
    const inGroup = rows.filter(r => r.group === group)
    const notes = inGroup.some(r => r.note !== undefined)
    console.log(`| case | implementation | throughput | ops/s | vs reference |${notes ? ' notes |' : ''}`)
    console.log(`|---|---|---:|---:|---:|${notes ? '---|' : ''}`)
    for (const c of [...new Set(inGroup.map(r => r.case))]) {
      const caseRows = inGroup.filter(r => r.case === c)
      const reference = caseRows.find(r => !r.impl.startsWith('cairn')) ?? caseRows[0]
      for (const row of caseRows) {
        const ratio = row === reference ? 'reference' : `${(row.opsPerSec / reference.opsPerSec).toFixed(2)}×`
        console.log(`| ${c} | ${row.impl} | ${rate(row)} | ${Math.round(row.opsPerSec).toLocaleString('en')} | ${ratio} |${notes ? ` ${row.note ?? ''} |` : ''}`)
      }
    }
    console.log('')
  }
}
