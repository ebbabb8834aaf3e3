import { GatewayError } from '../../src/gateway/errors.ts'
import { matchRedirect, parseRedirects } from '../../src/gateway/redirects.ts'
import type { Rng } from './rng.ts'
import type { FuzzTarget } from './targets.ts'

/** The spec's example `_redirects` files (web-redirects-file.md, its fixtures), a \r\n one and a bad one. */
const SEEDS = [
  '/redirect-one /one.html\n/301-redirect-one /one.html 301\n/302-redirect-two /two.html 302\n/200-index /index.html 200\n/posts/:year/:month/:day/:title /articles/:year/:month/:day/:title 301\n/splat/* /redirected-splat/:splat 301\n/not-found/* /404.html 404\n/gone/* /410.html 410\n/unavail/* /451.html 451\n/* /index.html 200\n',
  '# redirect to URL with some static query parameters\n/source1/* /target-file?static-query1=static-val1&static-query2=static-val2 301\n/source2/:code/:name /target-file?code=:code&name=:name 301\n/source3/* https://example.net/target3/:splat 301\n',
  '/redirect-one /one.html\r\n/two /two.html 302\r\n',
  '/a /b 999\n'
].map(text => new TextEncoder().encode(text))

const PATHS = ['/', '/a', '/posts/2022/06/15/x', '/splat/a/b', '/not-found/', '/%2e%2e/x', '/:splat', '/a?b=c']

/**
 * `_redirects` files, as a website can put anything there: seeded with the spec's example
 * files. Every input is read (its rules matched against a few paths) or refused with a
 * `GatewayError` 500; anything else is a finding, and so is a match that leaves the site.
 */
export function redirectsTarget (): FuzzTarget {
  return {
    name: 'redirects',
    seeds: () => SEEDS,
    fresh: (rng: Rng) => new TextEncoder().encode(Array.from({ length: rng.below(6) }, () => `/${rng.below(3) === 0 ? ':x' : 'a'}/${rng.below(2) === 0 ? '*' : 'b'} /${rng.below(2) === 0 ? ':splat' : 'c'} ${[200, 301, 404, 999][rng.below(4)]}`).join('\n')),
    async check (input, rng) {
      try {
        const rules = parseRedirects(input)
        const match = matchRedirect(rules, PATHS[rng.below(PATHS.length)], rng.below(2) === 0 ? '' : '?q=1')
        if (match !== undefined && !match.to.startsWith('/')) return `a rule sent the site to ${match.to}`
        return undefined
      } catch (err) {
        if (err instanceof GatewayError && err.status === 500) return undefined
        return `threw ${(err as Error).name}: ${(err as Error).message}`
      }
    }
  }
}
