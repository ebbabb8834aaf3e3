import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CarReader } from '@ipld/car'
import { CID } from 'multiformats/cid'
import { MemoryBlockstore } from '../../../src/content/blockstore/memory-blockstore.ts'
import { readCar } from '../../../src/content/car/car-reader.ts'
import { handleGatewayRequest } from '../../../src/gateway/gateway.ts'
import { CONTENT_SECURITY_POLICY } from '../../../src/gateway/security-headers.ts'
import { answerSiteRequest } from '../../../src/site/site-answer.ts'
import { hostRouteResponse, routeHost } from '../../../src/site/subdomain.ts'
import { fixturesDir } from '../../support/fixtures.ts'

interface Case {
  area: string
  spec: string
  name: string
  cars: string[]
  request: { method: string, host?: string, path: string, headers?: Record<string, string> }
  expect: {
    status: number
    headers?: Record<string, string>
    headersMatch?: Record<string, string>
    absentHeaders?: string[]
    /** Texts the body must not contain. */
    absentText?: string[]
    body?: { text?: string, length?: number, startsWith?: string, contains?: string[], block?: string }
    car?: { roots?: string[], blocks?: string[], truncated?: boolean, count?: number, excludes?: string[], first?: string }
  }
}

const { cases } = JSON.parse(readFileSync(new URL('../../gateway/cases.json', import.meta.url), 'utf8')) as { cases: Case[] }
const carDir = join(fixturesDir, 'gateway-conformance', 'fixtures')

/** Imports CARs through Cairn's own reader into a fresh store (which also checks every block). */
async function storeWith (cars: string[]): Promise<MemoryBlockstore> {
  const store = new MemoryBlockstore()
  for (const car of cars) {
    const bytes = new Uint8Array(readFileSync(join(carDir, car)))
    for await (const event of readCar([bytes])) {
      if (event.type === 'blocks') for (const block of event.blocks) await store.put(block.cid, block.bytes)
    }
  }
  return store
}

/** Reads a whole body; reports whether the stream ended in an error. */
async function readBody (response: Response): Promise<{ bytes: Uint8Array, failed: boolean }> {
  const parts: Uint8Array[] = []
  let failed = false
  if (response.body !== null) {
    const reader = response.body.getReader()
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        parts.push(value)
      }
    } catch {
      failed = true
    }
  }
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) { bytes.set(p, at); at += p.length }
  return { bytes, failed }
}

/** The blocks of a CAR body, parsed by the reference reader (tolerating a cut-off end). */
async function carContents (bytes: Uint8Array): Promise<{ roots: string[], blocks: string[] }> {
  const reader = await CarReader.fromBytes(bytes).catch(async () => undefined)
  if (reader !== undefined) {
    const blocks: string[] = []
    for await (const block of reader.blocks()) blocks.push(block.cid.toString())
    return { roots: (await reader.getRoots()).map(String), blocks }
  }
  // A truncated stream: read what Cairn's reader can before the cut.
  const blocks: string[] = []
  const roots: string[] = []
  try {
    for await (const event of readCar([bytes])) {
      if (event.type === 'header') roots.push(...event.header.roots.map(String))
      else blocks.push(...event.blocks.map(b => b.cid.toString()))
    }
  } catch { /* the cut */ }
  return { roots, blocks }
}

/**
 * The subdomain gateway as `npm start` serves it: the server's host rules (a redirect to the
 * canonical origin, or a 400 with the reason), then the site's own worker on a content root's
 * origin. Names need resolving, which these cases do not cover (test/unit/gateway/ipns-gateway.test.ts does).
 */
async function subdomainAnswer (request: Request, host: string, get: (cid: CID) => Promise<Uint8Array>): Promise<Response> {
  const url = new URL(request.url)
  const route = routeHost(host, url.pathname, url.search)
  const answer = hostRouteResponse(route)
  if (answer !== undefined) return answer
  if (route.kind !== 'site' || route.site.namespace !== 'ipfs') throw new Error(`${host} is not a content root's origin: ${JSON.stringify(route)}`)
  return answerSiteRequest(request, `/ipfs/${route.site.label}`, get)
}

describe('gateway conformance cases (test/gateway/cases.json)', () => {
  for (const c of cases) {
    it(`[${c.area}] ${c.name}`, async () => {
      const store = await storeWith(c.cars)
      const get = async (cid: CID): Promise<Uint8Array> => store.getBytes(cid)
      const host = c.request.host
      const request = new Request(`http://${host ?? 'localhost'}${c.request.path}`, { method: c.request.method, headers: c.request.headers })
      const response = host === undefined ? await handleGatewayRequest(request, get) : await subdomainAnswer(request, host, get)
      const body = await readBody(response)
      const context = `${c.name} (${c.spec}): ${new TextDecoder().decode(body.bytes.subarray(0, 300))}`
      expect(response.status, context).toBe(c.expect.status)
      // Content isolation holds for every path-gateway answer, errors included.
      if (host === undefined) {
        expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
        expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      }
      expect(response.headers.has('access-control-allow-origin')).toBe(false)
      for (const [name, value] of Object.entries(c.expect.headers ?? {})) expect(response.headers.get(name), name).toBe(value)
      for (const [name, pattern] of Object.entries(c.expect.headersMatch ?? {})) expect(response.headers.get(name) ?? '', name).toMatch(new RegExp(pattern))
      for (const name of c.expect.absentHeaders ?? []) expect(response.headers.get(name), name).toBeNull()
      const expected = c.expect.body
      const text = new TextDecoder().decode(body.bytes)
      if (expected?.text !== undefined) expect(text).toBe(expected.text)
      if (expected?.length !== undefined) expect(body.bytes.length).toBe(expected.length)
      if (expected?.startsWith !== undefined) expect(text.startsWith(expected.startsWith)).toBe(true)
      for (const part of expected?.contains ?? []) expect(text).toContain(part)
      for (const part of c.expect.absentText ?? []) expect(text).not.toContain(part)
      if (expected?.block !== undefined) expect(body.bytes).toEqual(await store.getBytes(CID.parse(expected.block)))
      const car = c.expect.car
      if (car !== undefined) {
        expect(response.headers.get('content-type')).toMatch(/^application\/vnd\.ipld\.car; version=1/)
        expect(body.failed).toBe(car.truncated ?? false)
        const contents = await carContents(body.bytes)
        if (car.roots !== undefined) expect(contents.roots).toEqual(car.roots)
        if (car.blocks !== undefined) expect(contents.blocks).toEqual(car.blocks)
        if (car.first !== undefined) expect(contents.blocks[0]).toBe(car.first)
        for (const cid of car.excludes ?? []) expect(contents.blocks).not.toContain(cid)
        if (car.count !== undefined) expect(new Set(contents.blocks).size).toBeGreaterThan(car.count)
      }
    })
  }
})
