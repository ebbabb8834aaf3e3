import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CarReader } from '@ipld/car'
import type { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { MemoryBlockstore } from '../../../src/content/blockstore/memory-blockstore.ts'
import { answerSiteRequest } from '../../../src/site/site-answer.ts'
import { fixturesDir } from '../../support/fixtures.ts'

// The redirects fixtures' "examples" site, as a named site (a DNSLink name pointing at it).
const EXAMPLES = '/ipfs/QmYBhLYDwVFvxos9h8CGU2ibaY66QNgv8hpfewxaQrPiZj'

async function siteStore (): Promise<(cid: CID) => Promise<Uint8Array>> {
  const store = new MemoryBlockstore()
  const reader = await CarReader.fromBytes(readFileSync(join(fixturesDir, 'gateway-conformance', 'fixtures', 'redirects_file', 'redirects.car')))
  for await (const { cid, bytes } of reader.blocks()) await store.put(cid, bytes)
  return async cid => store.getBytes(cid)
}

describe('a site\'s answers on its own origin', () => {
  it('are immutable for content, and for a named site hold only as long as the name is used (custom 404s too)', async () => {
    const get = await siteStore()
    const byCid = await answerSiteRequest(new Request('http://site.localhost/one.html'), EXAMPLES, get)
    expect(byCid.headers.get('cache-control')).toBe('public, max-age=29030400, immutable')
    const named = await answerSiteRequest(new Request('http://site.localhost/one.html'), EXAMPLES, get, 60)
    expect(named.headers.get('cache-control')).toBe('public, max-age=60')
    const custom404 = await answerSiteRequest(new Request('http://site.localhost/not-found/anything'), EXAMPLES, get, 60)
    expect(custom404.status).toBe(404)
    expect(custom404.headers.get('etag')).toBe('"Qmd9GD7Bauh6N2ZLfNnYS3b7QVAijbud83b8GE8LPMNBBP"')
    expect(custom404.headers.get('cache-control')).toBe('public, max-age=60')
    expect(await custom404.text()).toBe('my 404\n')
  })

  it('carry no sandbox (the site is its own origin) and map the gateway\'s redirects onto the site', async () => {
    const get = await siteStore()
    const folder = await answerSiteRequest(new Request('http://site.localhost/redirected-splat?x=1'), EXAMPLES, get)
    expect(folder.status).toBe(301)
    expect(folder.headers.get('location')).toBe('/redirected-splat/?x=1')
    expect(folder.headers.get('content-security-policy')).toBeNull()
  })
})
