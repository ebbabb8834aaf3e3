import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CarReader } from '@ipld/car'
import { multiaddr } from '@multiformats/multiaddr'
import type { Libp2p } from '@libp2p/interface'
import { expect, test, type Page } from '@playwright/test'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { startHelia } from '../support/exchange-peers.ts'
import { profile } from './p2p.ts'

// Its own `npm start` (the app, the relay and its home node) on a port of its own, with its
// state in a temporary folder, so the relay can be restarted in the middle of the story.
test.describe.configure({ timeout: 180_000 })
const port = Number(process.env.E2E_HOME_PORT ?? 4176)
const app = `http://ipfs.localhost:${port}`

interface Served { process: ChildProcess, relay: string, home: string }

async function serve (state: string): Promise<Served> {
  const child = spawn(process.execPath, ['scripts/serve.mjs', '--port', String(port), '--relay-port', '0', '--home-port', '0', '--state-dir', state], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve.mjs did not start:\n${output}`)), 30_000)
    const read = (chunk: Buffer): void => {
      output += chunk.toString()
      if (output.includes('Cairn is running')) { clearTimeout(timer); resolve() }
    }
    child.stdout.on('data', read)
    child.stderr.on('data', read)
  })
  const relay = /Bundled relay: (\S+)/.exec(output)?.[1] ?? ''
  const home = /Home node \(pinning service, gateway, routing\): (\S+)/.exec(output)?.[1] ?? ''
  return { process: child, relay, home }
}

async function stop (served: Served): Promise<void> {
  const exited = new Promise(resolve => served.process.once('exit', resolve))
  served.process.kill('SIGTERM')
  await exited
}

async function open (page: Page, hash = ''): Promise<void> {
  await page.goto(`${app}/${hash}`)
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 })
  await expect(page.getByTestId('repo-summary')).toBeVisible()
}

test('a folder kept online from the Library stays reachable after the browser closes and the relay restarts: a fresh profile and a Helia node get it', async ({ browser }) => {
  const state = mkdtempSync(join(tmpdir(), 'cairn-home-e2e-'))
  let served = await serve(state)
  try {
    // 1. A browser adds a folder and keeps it online on the home node, from the Library.
    const alice = await profile(browser)
    const page = await alice.newPage()
    await open(page, '#/add')
    await page.getByTestId('add-folder').setInputFiles('test/e2e/sites/website')
    await page.getByRole('button', { name: 'Add', exact: true }).click()
    const root = (await page.getByTestId('add-root').textContent({ timeout: 60_000 })) ?? ''
    await page.goto(`${app}/#/library`)
    const row = page.locator(`[data-testid=pin-row][data-cid="${CID.parse(root).toV1().toString()}"]`)
    await row.getByRole('button', { name: 'Keep online…' }).click()
    await row.getByRole('button', { name: 'Keep online', exact: true }).click()
    const state0 = row.locator('[data-testid=remote-state][data-service=bundled]')
    await expect(state0).toHaveAttribute('data-state', 'pinned', { timeout: 60_000 })
    await expect(state0).toContainText('✓ online at Home node')
    await alice.close()

    // 2. The relay restarts (same identity and folder, new ports).
    await stop(served)
    served = await serve(state)

    // 3. A fresh profile, which never had the folder, opens it by CID: the home node serves it.
    const bob = await profile(browser)
    const fresh = await bob.newPage()
    await open(fresh)
    const index = await fresh.evaluate(async url => { const r = await fetch(url); return { status: r.status, text: await r.text() } }, `/ipfs/${root}/index.html`)
    expect(index.status).toBe(200)
    expect(index.text).toBe(readFileSync('test/e2e/sites/website/index.html', 'utf8'))
    await bob.close()

    // 4. A Helia node in Node.js gets it over Bitswap from the relay, and over its HTTP gateway.
    const helia = await startHelia()
    try {
      await (helia.helia.libp2p as unknown as Libp2p).dial(multiaddr(served.relay))
      const chunks: Uint8Array[] = []
      for await (const chunk of helia.fs.cat(CID.parse(root), { path: 'index.html', signal: AbortSignal.timeout(30_000) })) chunks.push(chunk)
      expect(Buffer.concat(chunks).toString()).toBe(readFileSync('test/e2e/sites/website/index.html', 'utf8'))
    } finally {
      await helia.stop()
    }
    const car = await fetch(`${served.home}/ipfs/${root}?format=car`)
    expect(car.status).toBe(200)
    const reader = await CarReader.fromBytes(new Uint8Array(await car.arrayBuffer()))
    let blocks = 0
    for await (const block of reader.blocks()) {
      // Checked with multiformats' own SHA-256, not Cairn's.
      expect(Buffer.from((await sha256.digest(block.bytes)).bytes).equals(Buffer.from(block.cid.multihash.bytes))).toBe(true)
      blocks++
    }
    expect(blocks).toBeGreaterThan(3)
  } finally {
    await stop(served)
    rmSync(state, { recursive: true, force: true })
  }
})
