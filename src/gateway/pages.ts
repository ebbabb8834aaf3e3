import type { CID } from 'multiformats/cid'
import { formatBytes } from '../lib/format-bytes.ts'
import type { DirectoryEntry } from '../unixfs/reader.ts'
import { count } from '../lib/count.ts'

/** Bumped whenever generated listing HTML changes, so cached listings are not reused. */
export const LISTING_VERSION = '2'

/** Escapes text for HTML content and attribute values. */
export function escapeHtml (text: string): string {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d2433}
h1{font-size:1.2rem;word-break:break-all}table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e3e6ec}
code,.cid{font-family:ui-monospace,monospace;font-size:.85em;word-break:break-all}.muted{color:#68707f}pre{white-space:pre-wrap;word-break:break-all;background:#f4f6f9;padding:1rem}`

function page (title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`
}

/** A readable error page; `details` are listed under the message (what was tried). */
export function errorPage (status: number, message: string, contentPath?: string, details: string[] = []): string {
  return page(`${status} · Cairn gateway`, `<h1>${status}</h1><p>${escapeHtml(message)}</p>` +
    (details.length > 0 ? `${status === 504 ? '<p>Tried:</p>' : ''}<ul>${details.map(d => `<li>${escapeHtml(d)}</li>`).join('')}</ul>` : '') +
    (contentPath !== undefined ? `<p class="muted">Requested: <code>${escapeHtml(contentPath)}</code></p>` : '') +
    (status === 404 ? '<p class="muted">Import a CAR with the content, or add it, then try again.</p>' : '') +
    (status === 504 ? '<p class="muted">Nobody reachable had the content. Check the sources in Settings, connect to a peer that has it, or try again later.</p>' : ''))
}

/**
 * The generated listing of a directory without an `index.html`, in the markup Kubo's listings
 * have (and the upstream conformance suite looks for): a breadcrumb of the path, absolute
 * links to each entry and to `..`, and each entry's CID linked with its name as `filename`.
 * `siteRoot` (the content path a site's own origin serves from its `/`) makes the links the
 * site's own paths.
 */
export function directoryListing (contentPath: string, cid: CID, entries: DirectoryEntry[], siteRoot?: string): string {
  const segments = contentPath.split('/').filter(s => s !== '')
  const hidden = siteRoot === undefined ? 0 : siteRoot.split('/').filter(s => s !== '').length
  const href = (end: number): string => `/${segments.slice(hidden, end).map(encodeURIComponent).join('/')}`
  const dir = href(segments.length).replace(/\/?$/, '/')
  // The namespace (or the site's root) starts the breadcrumb; each segment after it links to its folder.
  const first = siteRoot === undefined ? 1 : hidden
  const crumbs = (siteRoot === undefined ? `/${escapeHtml(segments[0] ?? '')}/` : '<a href="/">/</a>') +
    segments.slice(first).map((segment, i) => `<a href="${href(first + i + 1)}">${escapeHtml(segment)}</a>`).join('/')
  const rows = entries.map(e => {
    const name = escapeHtml(e.name)
    return `<tr><td><a href="${dir}${encodeURIComponent(e.name)}">${name}</a></td><td>${e.dagSize === undefined ? '' : formatBytes(e.dagSize)}</td>` +
      `<td class="cid"><a class="ipfs-hash" translate="no" href="/ipfs/${e.cid}?filename=${encodeURIComponent(encodeURIComponent(e.name))}">${e.cid}</a></td>` +
      `<td><a href="/ipfs/${e.cid}?format=raw&amp;download=true">raw</a> · <a href="/ipfs/${e.cid}?format=car&amp;download=true">car</a></td></tr>`
  }).join('')
  const up = segments.length > Math.max(2, hidden) ? `<tr><td><a href="${dir}..">..</a></td><td></td><td></td><td></td></tr>` : ''
  return page(`Index of ${contentPath}`, `<h1>Index of ${crumbs}</h1>` +
    `<p class="muted">Directory <span class="cid">${cid}</span> · ${count(entries.length, 'entry', 'entries')} · <a href="/ipfs/${cid}?format=car&amp;download=true">download CAR</a></p>` +
    `<table><thead><tr><th>Name</th><th>DAG size</th><th>CID</th><th>Download</th></tr></thead><tbody>${up}${rows}</tbody></table>`)
}

/** An HTML view of a DAG-CBOR/DAG-JSON node for browser navigations. */
export function dagNodePage (contentPath: string, cid: CID, codec: string, dagJsonText: string): string {
  return page(contentPath, `<h1>${escapeHtml(contentPath)}</h1>` +
    `<p class="muted">A ${codec} node, <span class="cid">${cid}</span>. ` +
    `<a href="/ipfs/${cid}?format=${codec}&amp;download=true">download ${codec}</a> · <a href="/ipfs/${cid}?format=car&amp;download=true">download CAR</a></p>` +
    `<pre>${escapeHtml(dagJsonText)}</pre>`)
}
