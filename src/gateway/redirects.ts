import { GatewayError } from './errors.ts'

/** The largest `_redirects` file read (the spec's limit). */
export const MAX_REDIRECTS_BYTES = 64 * 1024

/** How every error about a rules file begins (the words the upstream conformance suite looks for). */
const CANNOT_PARSE = 'could not parse _redirects:'

/** A stand-in origin for reading a rule's target as a path on the site. */
const SITE = 'http://site.invalid'

/** The statuses a rule may give (the spec's list); 301 when a rule gives none. */
const STATUSES = new Set([200, 301, 302, 303, 307, 308, 404, 410, 451])

/** One rule of a `_redirects` file. */
export interface RedirectRule {
  /** The `from` path's segments; `:name` placeholders kept as written, a trailing `*` as `splat`. */
  from: string[]
  splat: boolean
  to: string
  status: number
  line: number
}

/** What a path is sent to: a status, and a same-origin path (with the query to keep). */
export interface RedirectMatch {
  status: number
  /** A path on the site (`/…`, query included). */
  to: string
}

/**
 * Reads a `_redirects` file (the Web Redirects File spec): `from to [status]` per line,
 * comments and blank lines skipped, `\n` or `\r\n`. Throws `GatewayError` 500 naming the line
 * and the reason for anything else — a file that does not parse is answered with it.
 */
export function parseRedirects (bytes: Uint8Array): RedirectRule[] {
  if (bytes.byteLength > MAX_REDIRECTS_BYTES) throw new GatewayError(500, `${CANNOT_PARSE} redirects file size cannot exceed ${MAX_REDIRECTS_BYTES} bytes; this one is ${bytes.byteLength}`)
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new GatewayError(500, `${CANNOT_PARSE} the file is not UTF-8 text`)
  }
  const rules: RedirectRule[] = []
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.replace(/\r$/, '').trim()
    if (line === '' || line.startsWith('#')) continue
    const fail = (reason: string): never => { throw new GatewayError(500, `${CANNOT_PARSE} line ${i + 1}: ${reason} ("${line.slice(0, 120)}")`) }
    const fields = line.split(/\s+/)
    if (fields.length < 2 || fields.length > 3) fail('a rule is "from to [status]"')
    const [from, to, code] = fields
    if (!from.startsWith('/')) fail('"from" must be a path starting with /')
    if (code?.endsWith('!') === true) fail('forced redirects (or "shadowing") are not supported: a rule applies only where the site has nothing')
    const status = code === undefined ? 301 : Number(code)
    if (!Number.isInteger(status) || !STATUSES.has(status)) fail(`${code ?? ''} is not a status a rule may give (200, 301, 302, 303, 307, 308, 404, 410, 451)`)
    const segments = from.split('/').slice(1)
    const splat = segments.at(-1) === '*'
    if (splat) segments.pop()
    if (segments.some(s => s.includes('*'))) fail('"*" may only end "from"')
    const names = segments.filter(s => s.startsWith(':'))
    if (new Set(names).size !== names.length) fail('a placeholder is used twice in "from"')
    if ((!to.startsWith('/') || /^[/\\]{2}/.test(to)) && !/^https?:\/\//i.test(to)) fail('"to" must be a path starting with one / or an http(s) URL')
    rules.push({ from: segments, splat, to, status, line: i + 1 })
  }
  return rules
}

/**
 * The first rule that matches `path` (rules are tried in order): placeholders take one segment,
 * a trailing `*` the rest (`:splat`). The request's query is kept, over the rule's own. A rule
 * that sends to another origin is refused (`GatewayError` 500): a site on its own origin is
 * followed only within it.
 */
export function matchRedirect (rules: RedirectRule[], path: string, query: string): RedirectMatch | undefined {
  const asked = path.split('/').slice(1)
  for (const rule of rules) {
    const values = matchRule(rule, asked)
    if (values === undefined) continue
    let to = rule.to
    for (const [name, value] of Object.entries(values).sort((a, b) => b[0].length - a[0].length)) to = to.split(`:${name}`).join(value)
    // Only a path on the site: an http(s) URL, or a path a splat made protocol-relative
    // (`//host/…`), would leave it.
    const leaves = (): never => { throw new GatewayError(500, `_redirects line ${rule.line} sends ${path} to another origin (${to}); a site opened on its own origin does not leave it`) }
    if (/^https?:\/\//i.test(to) || /^[/\\]{2}/.test(to)) leaves()
    let target: URL
    try {
      target = new URL(to, SITE)
    } catch {
      throw new GatewayError(500, `_redirects line ${rule.line}: ${to} is not a path`)
    }
    if (target.origin !== SITE) leaves()
    for (const [key, value] of new URLSearchParams(query)) target.searchParams.set(key, value)
    return { status: rule.status, to: `${target.pathname}${target.search}` }
  }
  return undefined
}

function matchRule (rule: RedirectRule, asked: string[]): Record<string, string> | undefined {
  const values: Record<string, string> = {}
  if (rule.splat ? asked.length < rule.from.length : asked.length !== rule.from.length) return undefined
  for (const [i, part] of rule.from.entries()) {
    if (part.startsWith(':')) {
      if (asked[i] === '') return undefined
      values[part.slice(1)] = asked[i]
    } else if (part !== asked[i]) {
      return undefined
    }
  }
  if (rule.splat) values.splat = asked.slice(rule.from.length).join('/')
  return values
}

/**
 * Answers a request on a site's own origin with its `_redirects`: when `answer` finds nothing
 * at the path (404), the site root's `_redirects` (if there is one) is read and the first
 * matching rule applied — 200 serves the target's content in place (a SPA's deep link), 404,
 * 410 and 451 serve it with that status (a custom error page), 3xx redirect within the site.
 * Paths that exist are never redirected. A target that is itself missing stays a 404, so
 * rules cannot loop here. `answer` serves a site path (`/…`) as the gateway does.
 */
export async function withRedirects (path: string, query: string, answer: (path: string) => Promise<Response>): Promise<Response> {
  const first = await answer(`${path}${query}`)
  if (first.status !== 404 || path === '/_redirects') return first
  const file = await answer('/_redirects')
  if (file.status === 404) return first
  if (!file.ok) return file
  let rules: RedirectRule[]
  let match: RedirectMatch | undefined
  try {
    rules = parseRedirects(new Uint8Array(await file.arrayBuffer()))
    match = matchRedirect(rules, path, query)
  } catch (err) {
    if (err instanceof GatewayError) return new Response(`${err.message}\n`, { status: err.status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } })
    throw err
  }
  if (match === undefined) return first
  if (match.status >= 300 && match.status < 400) {
    return new Response(null, { status: match.status, headers: { Location: match.to, 'Cache-Control': 'no-store' } })
  }
  const target = await answer(match.to)
  if (target.status === 404 || match.status === 200) return target
  return new Response(target.body, { status: match.status, headers: target.headers })
}
