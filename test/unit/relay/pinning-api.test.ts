import { join } from 'node:path'
import { base36 } from 'multiformats/bases/base36'
import * as raw from 'multiformats/codecs/raw'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PinStatusBody } from '../../../src/relay/home/pin-service.ts'
import { fixturesDir } from '../../support/fixtures.ts'
import { pinApi, pinSettles, removeHome, startTestHome, type TestHome } from '../../support/home-node.ts'
import { loadOpenApi, type OpenApi } from '../../support/openapi-check.ts'

interface Results { count: number, results: PinStatusBody[] }
interface Failure { error: { reason: string, details?: string } }

/** A raw block kept on the node already, so pinning it completes at once. */
async function keptBlock (home: TestHome, text: string): Promise<CID> {
  const bytes = new TextEncoder().encode(text)
  const cid = CID.createV1(raw.code, await sha256.digest(bytes))
  await home.home.kept.put(cid, bytes)
  return cid
}

/**
 * The Pinning Service API of the home node checked against the spec's OpenAPI file: every
 * route's answer has the shape the file gives, every filter of `GET /pins` behaves as its
 * description says, and errors are `Failure` bodies with the right status.
 */
describe('the home node\'s Pinning Service API, against pinning-service-api.yaml', () => {
  let home: TestHome
  let api: OpenApi
  let alice: string
  let bob: string
  const pins: PinStatusBody[] = []
  const cids: CID[] = []

  beforeAll(async () => {
    api = await loadOpenApi(join(fixturesDir, 'specs', 'pinning-service-api.yaml'))
    home = await startTestHome({ corsOrigins: ['http://ipfs.localhost:5173'] })
    alice = (await home.home.tokens.add('alice')).secret
    bob = (await home.home.tokens.add('bob')).secret
    // Five pins of alice's, a millisecond apart at least, with names and meta to filter on.
    const named = [['Holiday.jpg', { kind: 'photo', year: '2025' }], ['holiday.mov', { kind: 'video', year: '2025' }], ['notes.txt', { kind: 'text', year: '2024' }], ['Report.pdf', { kind: 'text', year: '2025' }], ['report-draft.pdf', { kind: 'text', year: '2025' }]] as const
    for (const [name, meta] of named) {
      const cid = await keptBlock(home, name)
      cids.push(cid)
      const asked = await pinApi<PinStatusBody>(`${home.url}/pins`, alice, 'POST', { cid: cid.toString(), name, meta })
      expect(asked.status).toBe(202)
      expect(api.check('PinStatus', asked.body)).toEqual([])
      pins.push(await pinSettles(home, alice, asked.body.requestid, 'pinned'))
    }
  })
  afterAll(async () => {
    await home.stop()
    await removeHome(home.dir)
  })

  const list = async (query: string, token = alice): Promise<Results> => {
    const got = await pinApi<Results>(`${home.url}/pins${query}`, token)
    expect(got.status).toBe(200)
    expect(api.check('PinResults', got.body)).toEqual([])
    return got.body
  }
  const names = (results: Results): string[] => results.results.map(r => r.pin.name ?? '')

  it('has a schema check that refuses wrong shapes (so the checks below can fail)', () => {
    expect(api.check('PinStatus', { ...pins[0], status: 'done' })).toEqual(['PinStatus.status: "done" is not one of queued, pinning, pinned, failed'])
    expect(api.check('PinStatus', { ...pins[0], delegates: [] })).toEqual(['PinStatus.delegates: fewer than 1 items'])
    expect(api.check('PinStatus', { ...pins[0], created: 'Friday' })).toEqual(['PinStatus.created: "Friday" is not an RFC 3339 date-time'])
    expect(api.check('PinResults', { results: [] })).toEqual(['PinResults: "count" is required'])
    expect(api.check('Failure', { error: { details: 'x' } })).toEqual(['Failure.error: "reason" is required'])
  })

  it('answers every route with the shapes of the OpenAPI file', async () => {
    const one = await pinApi<PinStatusBody>(`${home.url}/pins/${pins[0].requestid}`, alice)
    expect(one.status).toBe(200)
    expect(api.check('PinStatus', one.body)).toEqual([])
    expect(one.body.delegates.every(d => /\/p2p\/12D3KooW\w+$/.test(d))).toBe(true)
    expect(api.check('PinResults', (await list('')))).toEqual([])

    // Replace: a new request id for the new pin, the old one gone; the shared block is kept.
    const extra = await keptBlock(home, 'to be replaced')
    const first = await pinApi<PinStatusBody>(`${home.url}/pins`, alice, 'POST', { cid: extra.toString(), name: 'replace-me' })
    await pinSettles(home, alice, first.body.requestid, 'pinned')
    const replaced = await pinApi<PinStatusBody>(`${home.url}/pins/${first.body.requestid}`, alice, 'POST', { cid: extra.toString(), name: 'replaced' })
    expect(replaced.status).toBe(202)
    expect(api.check('PinStatus', replaced.body)).toEqual([])
    expect(replaced.body.requestid).not.toBe(first.body.requestid)
    expect((await pinApi(`${home.url}/pins/${first.body.requestid}`, alice)).status).toBe(404)
    await pinSettles(home, alice, replaced.body.requestid, 'pinned')
    expect(await home.home.kept.has(extra)).toBe(true)

    const removed = await fetch(`${home.url}/pins/${replaced.body.requestid}`, { method: 'DELETE', headers: { authorization: `Bearer ${alice}` } })
    expect(removed.status).toBe(202)
    expect(await removed.text()).toBe('')
    expect((await pinApi(`${home.url}/pins/${replaced.body.requestid}`, alice)).status).toBe(404)
  })

  it('lists the 10 newest pinned by default, newest first, and counts all that match', async () => {
    const all = await list('')
    expect(all.count).toBe(5)
    expect(names(all)).toEqual(['report-draft.pdf', 'Report.pdf', 'notes.txt', 'holiday.mov', 'Holiday.jpg'])
    expect(new Set(all.results.map(r => r.created)).size).toBe(5)
    const two = await list('?limit=2')
    expect(two.count).toBe(5)
    expect(names(two)).toEqual(['report-draft.pdf', 'Report.pdf'])
  })

  it('pages with before and after by the created timestamp', async () => {
    const pageOne = await list('?limit=2')
    const pageTwo = await list(`?limit=2&before=${encodeURIComponent(pageOne.results[1].created)}`)
    expect(names(pageTwo)).toEqual(['notes.txt', 'holiday.mov'])
    const pageThree = await list(`?limit=2&before=${encodeURIComponent(pageTwo.results[1].created)}`)
    expect(names(pageThree)).toEqual(['Holiday.jpg'])
    expect(names(await list(`?after=${encodeURIComponent(pins[2].created)}`))).toEqual(['report-draft.pdf', 'Report.pdf'])
    expect(names(await list(`?after=${encodeURIComponent(pins[0].created)}&before=${encodeURIComponent(pins[3].created)}`))).toEqual(['notes.txt', 'holiday.mov'])
  })

  it('filters by cid (any base of one CID, up to 10), by name with each match strategy, by status and by meta', async () => {
    expect(names(await list(`?cid=${cids[1]},${cids[3]}`))).toEqual(['Report.pdf', 'holiday.mov'])
    // The same multihash as a CIDv1 in base32 and in base36 is the same pin.
    expect(names(await list(`?cid=${cids[2].toString(base36)}`))).toEqual(['notes.txt'])
    expect(names(await list('?name=holiday.mov'))).toEqual(['holiday.mov'])
    expect(names(await list('?name=HOLIDAY.MOV'))).toEqual([])
    expect(names(await list('?name=HOLIDAY.MOV&match=iexact'))).toEqual(['holiday.mov'])
    expect(names(await list('?name=report&match=partial'))).toEqual(['report-draft.pdf'])
    expect(names(await list('?name=report&match=ipartial'))).toEqual(['report-draft.pdf', 'Report.pdf'])
    expect((await list('?status=queued,pinning')).count).toBe(0)
    expect((await list('?status=pinned,failed')).count).toBe(5)
    expect(names(await list(`?meta=${encodeURIComponent(JSON.stringify({ kind: 'text' }))}`))).toEqual(['report-draft.pdf', 'Report.pdf', 'notes.txt'])
    expect(names(await list(`?meta=${encodeURIComponent(JSON.stringify({ kind: 'text', year: '2025' }))}`))).toEqual(['report-draft.pdf', 'Report.pdf'])
    expect(names(await list(`?meta=${encodeURIComponent(JSON.stringify({ kind: 'text' }))}&name=re&match=partial&limit=1`))).toEqual(['report-draft.pdf'])
  })

  it('needs a valid bearer token on every route (401), and hides other tokens\' pins (404)', async () => {
    const id = pins[0].requestid
    const routes: Array<[string, string, unknown?]> = [['GET', '/pins'], ['POST', '/pins', { cid: cids[0].toString() }], ['GET', `/pins/${id}`], ['POST', `/pins/${id}`, { cid: cids[0].toString() }], ['DELETE', `/pins/${id}`]]
    for (const [method, path, body] of routes) {
      for (const token of [undefined, 'not-a-token']) {
        const got = await pinApi<Failure>(`${home.url}${path}`, token, method, body)
        expect(got.status, `${method} ${path}`).toBe(401)
        expect(api.check('Failure', got.body)).toEqual([])
        expect(got.body.error.reason).toBe('UNAUTHORIZED')
      }
    }
    for (const [method, path, body] of routes.slice(2)) {
      const got = await pinApi<Failure>(`${home.url}${path}`, bob, method, body)
      expect(got.status, `${method} ${path} as bob`).toBe(404)
      expect(api.check('Failure', got.body)).toEqual([])
      expect(got.body.error.reason).toBe('NOT_FOUND')
    }
    expect((await list('', bob)).count).toBe(0)
    expect((await pinApi(`${home.url}/pins/${id}`, alice)).status).toBe(200)
  })

  it('answers bad input with a 400 Failure naming the problem', async () => {
    const bad: Array<[string, string, unknown, RegExp]> = [
      ['GET', '/pins?limit=0', undefined, /limit/],
      ['GET', '/pins?limit=1001', undefined, /limit/],
      ['GET', '/pins?status=done', undefined, /status/],
      ['GET', '/pins?before=yesterday', undefined, /before/],
      ['GET', '/pins?match=fuzzy&name=x', undefined, /match/],
      ['GET', '/pins?meta=%7Bnot-json', undefined, /meta/],
      ['GET', '/pins?meta=%7B%22n%22%3A1%7D', undefined, /meta\.n/],
      ['GET', '/pins?cid=nope', undefined, /cid/],
      ['GET', `/pins?cid=${Array.from({ length: 11 }, () => cids[0]).join(',')}`, undefined, /1 to 10/],
      ['GET', '/pins?colour=blue', undefined, /colour/],
      ['POST', '/pins', '{"cid": ', /not JSON/],
      ['POST', '/pins', { name: 'no cid' }, /"cid" is required/],
      ['POST', '/pins', { cid: 'bafy-not' }, /not a CID/],
      ['POST', '/pins', { cid: cids[0].toString(), name: 'x'.repeat(256) }, /255/],
      ['POST', '/pins', { cid: cids[0].toString(), origins: ['/ip4/127.0.0.1/tcp/4001'] }, /\/p2p\//],
      ['POST', '/pins', { cid: cids[0].toString(), meta: { n: 1 } }, /meta\.n/],
      ['POST', '/pins', { cid: cids[0].toString(), colour: 'blue' }, /colour/]
    ]
    for (const [method, path, body, details] of bad) {
      const got = await pinApi<Failure>(`${home.url}${path}`, alice, method, body)
      expect(got.status, `${method} ${path}`).toBe(400)
      expect(api.check('Failure', got.body)).toEqual([])
      expect(got.body.error.reason).toBe('BAD_REQUEST')
      expect(got.body.error.details).toMatch(details)
    }
    const huge = await pinApi<Failure>(`${home.url}/pins`, alice, 'POST', JSON.stringify({ cid: cids[0].toString(), name: 'x'.repeat(100 * 1024) }))
    expect(huge.status).toBe(413)
    expect(api.check('Failure', huge.body)).toEqual([])
    const method = await pinApi<Failure>(`${home.url}/pins`, alice, 'PUT', {})
    expect(method.status).toBe(405)
    expect(api.check('Failure', method.body)).toEqual([])
  })

  it('lets the app\'s origin call the API from a page, and no other; the gateway and routing are open to all', async () => {
    const preflight = async (path: string, origin: string): Promise<Response> => fetch(`${home.url}${path}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } })
    const app = await preflight('/pins', 'http://ipfs.localhost:5173')
    expect(app.headers.get('access-control-allow-origin')).toBe('http://ipfs.localhost:5173')
    expect(app.headers.get('access-control-allow-headers')).toContain('authorization')
    const other = await preflight('/pins', 'https://evil.example')
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
    const listed = await fetch(`${home.url}/pins`, { headers: { origin: 'https://evil.example', authorization: `Bearer ${alice}` } })
    expect(listed.headers.get('access-control-allow-origin')).toBeNull()
    expect((await fetch(`${home.url}/ipfs/${cids[0]}?format=raw`, { headers: { origin: 'https://evil.example' } })).headers.get('access-control-allow-origin')).toBe('*')
    expect((await fetch(`${home.url}/routing/v1/providers/${cids[0]}`, { headers: { origin: 'https://evil.example' } })).headers.get('access-control-allow-origin')).toBe('*')
  })

  it('stops a revoked token at once and unpins what it kept', async () => {
    const { secret } = await home.home.tokens.add('lost-phone')
    const cid = await keptBlock(home, 'the lost phone kept this')
    const asked = await pinApi<PinStatusBody>(`${home.url}/pins`, secret, 'POST', { cid: cid.toString() })
    await pinSettles(home, secret, asked.body.requestid, 'pinned')
    await home.home.tokens.revoke('lost-phone')
    expect((await pinApi(`${home.url}/pins`, secret)).status).toBe(401)
    await home.home.pins.removeOrphans(new Set(home.home.tokens.list().map(t => t.id)))
    await expect.poll(async () => home.home.kept.has(cid), { timeout: 10_000 }).toBe(false)
    // Everyone else's pins are untouched.
    expect((await list('')).count).toBe(5)
  })
})
