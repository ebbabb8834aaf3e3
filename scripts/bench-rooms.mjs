// Rooms with history: how long a late joiner takes to have 1000 messages of history, fetched by
// CID from one member (over direct WebRTC: the relay keeps its usual limits, so Bitswap cannot
// use the relayed connection) and from the relay's archive (every member gone). The built app
// in Chromium profiles and a relay on loopback; p50 of 5 joiners each. Prints a table; never
// fails on numbers.
import { buildApp, installBenchRpc, serveApp, until } from './bench-app.mjs'

const MESSAGES = 1000
const JOINERS = 5
const TARGET_MS = 2000

/**
 * @param {import('playwright-core').Browser} browser
 * @param {string} origin
 * @param {string} relay
 */
async function openNode (browser, origin, relay, nick) {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] })
  await context.addInitScript(installBenchRpc)
  const page = await context.newPage()
  await page.goto(`${origin}/#/rooms/`)
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 })
  await page.evaluate(async r => globalThis.benchRpc('settings.set', { relays: [r], allowLocalAddresses: true, iceServers: [] }), relay)
  await page.evaluate(async n => globalThis.benchRpc('rooms.nick', { nick: n }), nick)
  return { context, page }
}

/** Joins and times until the room's history holds every message. */
async function timeJoin (page) {
  return page.evaluate(async count => {
    const started = performance.now()
    await globalThis.benchRpc('rooms.join', { room: 'bench' })
    for (;;) {
      const { messages } = await globalThis.benchRpc('rooms.history', { room: 'bench', limit: count })
      if (messages.length >= count) return performance.now() - started
      await new Promise(resolve => setTimeout(resolve, 20))
    }
  }, MESSAGES)
}

function p50 (samples) {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

/** @param {import('playwright-core').Browser} browser */
export async function runRoomsBench (browser) {
  console.log(`rooms: building the app, writing ${MESSAGES} messages…`)
  buildApp()
  const { startRelay } = await import('../src/relay/relay.ts')
  const { DEFAULT_RELAY_LIMITS } = await import('../src/relay/limits.ts')
  const { DEFAULT_ARCHIVE_LIMITS } = await import('../src/relay/room-archive.ts')
  const relay = await startRelay({ host: '127.0.0.1', port: 0, announce: [], limits: { ...DEFAULT_RELAY_LIMITS, messagesPerSecond: 10_000 }, archive: DEFAULT_ARCHIVE_LIMITS })
  const app = await serveApp()
  const address = relay.multiaddrs[0]
  const rows = []
  try {
    const author = await openNode(browser, app.origin, address, 'author')
    await author.page.evaluate(async count => {
      await globalThis.benchRpc('rooms.join', { room: 'bench' })
      for (let i = 0; i < count; i++) await globalThis.benchRpc('rooms.send', { room: 'bench', text: `message ${i}` })
    }, MESSAGES)
    await until(() => relay.archive.history('bench').length >= MESSAGES, 'the archive to hold every message', 120_000)

    /** Times `JOINERS` new profiles, one after another. */
    const joiners = async nick => {
      const samples = []
      for (let i = 0; i < JOINERS; i++) {
        const joiner = await openNode(browser, app.origin, address, `${nick}-${i}`)
        samples.push(await timeJoin(joiner.page))
        await joiner.context.close()
      }
      return samples
    }
    rows.push(['from one member (direct WebRTC)', await joiners('joiner')])
    await author.context.close()
    rows.push(['from the relay archive (every member gone)', await joiners('late')])
  } finally {
    app.stop()
    await relay.stop()
  }
  console.log(`### Rooms: a late joiner's ${MESSAGES} messages of history (join → all in the history, ${JOINERS} joiners)\n`)
  console.log('| source | p50 | runs (ms) | target < 2 s |')
  console.log('|---|---:|---|---|')
  for (const [source, samples] of rows) console.log(`| ${source} | ${p50(samples).toFixed(0)} ms | ${samples.map(ms => ms.toFixed(0)).join(', ')} | ${p50(samples) < TARGET_MS ? 'met' : 'missed'} |`)
  console.log('')
}
