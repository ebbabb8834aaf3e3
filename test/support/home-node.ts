import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { DEFAULT_RELAY_LIMITS } from '../../src/relay/limits.ts'
import { startRelay, type Relay } from '../../src/relay/relay.ts'
import type { HomeNode } from '../../src/relay/home/home-node.ts'
import type { DhtSettings } from '../../src/relay/dht.ts'
import type { PinStatusBody } from '../../src/relay/home/pin-service.ts'
import { eventually } from './p2p.ts'

/** A relay with a home node in a folder of its own, and what restarting it needs. */
export interface TestHome {
  relay: Relay
  home: HomeNode
  /** The HTTP port's base URL. */
  url: string
  dir: string
  /** Stops it and starts it again on the same folder and key (new ports). */
  restart: () => Promise<TestHome>
  stop: () => Promise<void>
}

/** Starts a relay whose home node keeps its folder in `dir` (a new temporary one when absent). */
export async function startTestHome (options: { dir?: string, stallMs?: number, privateKey?: PrivateKey, corsOrigins?: string[], log?: (line: string) => void, dht?: DhtSettings } = {}): Promise<TestHome> {
  const dir = options.dir ?? await mkdtemp(join(tmpdir(), 'cairn-home-'))
  const privateKey = options.privateKey ?? await generateKeyPair('Ed25519')
  const relay = await startRelay({
    host: '127.0.0.1',
    port: 0,
    announce: [],
    limits: DEFAULT_RELAY_LIMITS,
    privateKey,
    home: { dir, httpHost: '127.0.0.1', httpPort: 0, httpAnnounce: [], stallMs: options.stallMs ?? 5_000, corsOrigins: () => options.corsOrigins ?? [] },
    ...(options.log === undefined ? {} : { log: options.log }),
    ...(options.dht === undefined ? {} : { dht: options.dht })
  })
  const home = relay.home as HomeNode
  const test: TestHome = {
    relay,
    home,
    url: home.http.url,
    dir,
    restart: async () => {
      await relay.stop()
      return startTestHome({ ...options, dir, privateKey })
    },
    stop: async () => { await relay.stop() }
  }
  return test
}

/** Removes a test home's folder. */
export async function removeHome (dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
}

/** A Pinning Service API call with a bearer token; the parsed JSON body (or null) and the status. */
export async function pinApi<T = unknown> (url: string, token: string | undefined, method = 'GET', body?: unknown): Promise<{ status: number, body: T }> {
  const response = await fetch(url, {
    method,
    headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) })
  })
  const text = await response.text()
  return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as T }
}

/** Waits until a pin reaches `status` (failing fast if it ends otherwise) and returns it. */
export async function pinSettles (home: TestHome, token: string, requestid: string, status: PinStatusBody['status'], ms = 30_000): Promise<PinStatusBody> {
  let last: PinStatusBody | undefined
  await eventually(async () => {
    last = (await pinApi<PinStatusBody>(`${home.url}/pins/${requestid}`, token)).body
    if (last.status !== status && (last.status === 'pinned' || last.status === 'failed')) throw new Error(`the pin ended ${last.status}: ${last.info.status_details ?? ''}`)
    return last.status === status
  }, `the pin to be ${status}`, ms)
  return last as PinStatusBody
}
