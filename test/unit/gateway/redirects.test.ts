import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CarReader } from '@ipld/car'
import { describe, expect, it } from 'vitest'
import { MemoryBlockstore } from '../../../src/content/blockstore/memory-blockstore.ts'
import { handleGatewayRequest } from '../../../src/gateway/gateway.ts'
import { matchRedirect, parseRedirects, withRedirects } from '../../../src/gateway/redirects.ts'
import { fixturesDir } from '../../support/fixtures.ts'

// The Web Redirects File spec's test sites (gateway-conformance/fixtures/redirects_file), each
// served as on its own origin: a site path answered from `/ipfs/<root>/path`, then `_redirects`.
const FIXTURES = join(fixturesDir, 'gateway-conformance', 'fixtures', 'redirects_file')
const EXAMPLES = 'QmYBhLYDwVFvxos9h8CGU2ibaY66QNgv8hpfewxaQrPiZj'
const SITES = { examples: EXAMPLES, invalid: 'QmRgpzYQESidTtTojN8zRWjiNs9Cy6o7KHRxh7kDpJm3KH', tooLarge: 'QmQTfvjGmvTfxFpUcZNLdTLuKV227KJkGiN6xooHVeVZAS', badCodes: 'QmcBcFnKKqgpCVMxxGsriw9ByTVF6uDdKDMuEBq3m6f1bm', newlines: 'QmYzMrtPyBv7LKiEAGLLRPtvqm3SjQYLWxwWQ2vnpxQwRd', spa: 'bafybeib5lboymwd6p2eo4qb2lkueaine577flvsjjeuevmp2nlio72xv5q' }

async function sites (): Promise<(root: string, path: string) => Promise<Response>> {
  const store = new MemoryBlockstore()
  for (const car of ['redirects.car', 'redirects-spa.car']) {
    const reader = await CarReader.fromBytes(readFileSync(join(FIXTURES, car)))
    for await (const { cid, bytes } of reader.blocks()) await store.put(cid, bytes)
  }
  return async (root, path) => {
    const url = new URL(path, 'http://site.localhost')
    return withRedirects(url.pathname, url.search, async p => handleGatewayRequest(new Request(`http://localhost/ipfs/${root}${p}`), async cid => store.getBytes(cid)))
  }
}

describe('_redirects on a site\'s own origin', () => {
  it('follow the spec\'s examples site: redirects, rewrites, placeholders, splats, custom error pages, query kept', async () => {
    const get = await sites()
    const at = async (path: string): Promise<{ status: number, location: string | null, text: string }> => {
      const r = await get(EXAMPLES, path)
      return { status: r.status, location: r.headers.get('Location'), text: r.status < 300 || r.status >= 400 ? await r.text() : '' }
    }
    expect(await at('/redirect-one')).toMatchObject({ status: 301, location: '/one.html' })
    expect(await at('/301-redirect-one')).toMatchObject({ status: 301, location: '/one.html' })
    expect(await at('/302-redirect-two')).toMatchObject({ status: 302, location: '/two.html' })
    expect(await at('/redirect-one?x=1&y=2')).toMatchObject({ status: 301, location: '/one.html?x=1&y=2' })
    expect(await at('/posts/2022/06/15/hello-world')).toMatchObject({ status: 301, location: '/articles/2022/06/15/hello-world' })
    expect(await at('/splat/one.html')).toMatchObject({ status: 301, location: '/redirected-splat/one.html' })
    const index = await at('/index.html')
    expect((await at('/200-index')).text).toBe(index.text)
    expect(await at('/any/deep/path')).toMatchObject({ status: 200, text: index.text })
    const four04 = await at('/404.html')
    expect(await at('/not-found/anything')).toMatchObject({ status: 404, text: four04.text })
    expect((await at('/gone/anything')).status).toBe(410)
    expect((await at('/unavail/anything')).status).toBe(451)
    // A path that exists is never redirected.
    expect(await at('/one.html')).toMatchObject({ status: 200, location: null })
  })

  it('rewrite a SPA\'s deep links to its index.html', async () => {
    const get = await sites()
    const deep = await get(SITES.spa, '/some/deep/route?tab=2')
    expect(deep.status).toBe(200)
    expect(await deep.text()).toBe('hello world\n')
  })

  it('answer 500 with the line and the reason for files that do not parse, are too large or give bad codes; \\r\\n lines work', async () => {
    const get = await sites()
    for (const root of [SITES.invalid, SITES.tooLarge, SITES.badCodes]) {
      const r = await get(root, '/missing-path')
      expect(r.status, root).toBe(500)
      expect(await r.text()).toContain('_redirects')
    }
    expect((await get(SITES.newlines, '/redirect-one')).status).toBe(301)
  })

  it('do not loop: a rewrite to a path that is missing too stays a 404, and a hostile file is answered, never followed off the site', async () => {
    const files: Record<string, string> = { '/_redirects': '/a /b 200\n/b /a 200\n/out https://evil.example/steal 302\n' }
    let asked = 0
    const answer = async (path: string): Promise<Response> => {
      asked++
      const body = files[path.split('?')[0]]
      return body === undefined ? new Response('missing', { status: 404 }) : new Response(body)
    }
    expect((await withRedirects('/a', '', answer)).status).toBe(404)
    expect(asked).toBe(3)
    const out = await withRedirects('/out', '', answer)
    expect(out.status).toBe(500)
    expect(out.headers.get('Location')).toBeNull()
  })

  it('parse and match by the spec: placeholders once in from, a trailing splat only, off-origin targets refused', () => {
    expect(() => parseRedirects(new TextEncoder().encode('/a/:x/:x /b 301'))).toThrow('line 1')
    expect(() => parseRedirects(new TextEncoder().encode('# c\n\n/a/*/b /c'))).toThrow('line 3')
    const rules = parseRedirects(new TextEncoder().encode('/p/:a/:b /q/:b/:a/:b 302\n/x/* https://example.net/:splat 301\n'))
    expect(matchRedirect(rules, '/p/1/2', '')).toEqual({ status: 302, to: '/q/2/1/2' })
    expect(() => matchRedirect(rules, '/x/y', '')).toThrow('another origin')
    // Found by fuzzing: "//" targets, and a splat that makes a path protocol-relative.
    expect(() => parseRedirects(new TextEncoder().encode('/a //'))).toThrow('line 1')
    expect(() => parseRedirects(new TextEncoder().encode('/a //evil.example/x 302'))).toThrow('line 1')
    const splat = parseRedirects(new TextEncoder().encode('/x/* /:splat 302'))
    expect(() => matchRedirect(splat, '/x//evil.example/y', '')).toThrow('another origin')
    expect(matchRedirect(splat, '/x/a/b', '?q=1')).toEqual({ status: 302, to: '/a/b?q=1' })
    expect(matchRedirect(rules, '/nothing', '')).toBeUndefined()
  })
})
