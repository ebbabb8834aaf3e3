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

test('Settings list the home node and check a service before adding it; new adds are kept online where chosen; unpinning lets them go there too', async ({ browser }) => {
  const state = mkdtempSync(join(tmpdir(), 'cairn-home-e2e-'))
  const served = await serve(state)
  try {
    // A second device token on the same home node, made with the token command.
    const made = spawn(process.execPath, ['src/relay/main.ts', 'token', 'add', 'second device', '--home', join(state, 'home')], { stdio: ['ignore', 'pipe', 'inherit'] })
    let printed = ''
    made.stdout.on('data', (chunk: Buffer) => { printed += chunk.toString() })
    await new Promise(resolve => made.once('exit', resolve))
    const secondToken = printed.trim().split('\n').at(-1) ?? ''

    const context = await profile(browser)
    const page = await context.newPage()
    await open(page, '#/settings')
    const services = page.getByTestId('pinning-services')
    const bundled = services.locator('[data-testid=service][data-service=bundled]')
    await expect(bundled).toContainText('Home node (the relay that served this app)')
    await bundled.getByRole('button', { name: 'Test' }).click()
    await expect(bundled.getByTestId('service-test')).toContainText('works: 0 pins there for this token')

    // A wrong token is caught before the service is added.
    await page.locator('#service-name').fill('Second')
    await page.locator('#service-endpoint').fill(served.home)
    await page.locator('#service-token').fill('not-the-token')
    await services.getByRole('button', { name: 'Check and add' }).click()
    await expect(services.locator('.new-service [data-testid=service-test]')).toContainText('does not work: 401 UNAUTHORIZED')
    await expect(services.locator('[data-testid=service]')).toHaveCount(1)
    await page.locator('#service-token').fill(secondToken)
    await services.getByRole('button', { name: 'Check and add' }).click()
    await expect(services.locator('[data-testid=service]')).toHaveCount(2)
    for (const service of await services.locator('[data-testid=service]').all()) await service.getByRole('checkbox').check()
    await expect(services.locator('[data-testid=service] input:checked')).toHaveCount(2)

    // A new add is kept online on both, with no click in the Library.
    await page.goto(`${app}/#/add`)
    await page.getByTestId('add-files').setInputFiles({ name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from('kept online by default\n') })
    await page.getByRole('button', { name: 'Add', exact: true }).click()
    const root = (await page.getByTestId('add-root').textContent({ timeout: 60_000 })) ?? ''
    await page.goto(`${app}/#/library`)
    const row = page.locator(`[data-testid=pin-row][data-cid="${CID.parse(root).toV1().toString()}"]`)
    await expect(row.locator('[data-testid=remote-state][data-state=pinned]')).toHaveCount(2, { timeout: 60_000 })

    // Unpinning asks which services should let it go; both are ticked.
    await row.getByRole('button', { name: 'Unpin' }).click()
    const ask = row.getByTestId('unpin-remote')
    await expect(ask.getByRole('checkbox')).toHaveCount(2)
    await ask.getByRole('button', { name: 'Unpin' }).click()
    await expect(row).toHaveCount(0)
    const listed = await (await fetch(`${served.home}/pins?status=queued,pinning,pinned,failed`, { headers: { authorization: `Bearer ${secondToken}` } })).json() as { count: number }
    expect(listed.count).toBe(0)
    await context.close()
  } finally {
    await stop(served)
    rmSync(state, { recursive: true, force: true })
  }
})
