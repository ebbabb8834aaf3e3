import type { CID } from 'multiformats/cid'
import { concat } from 'uint8arrays/concat'
import { dagCborToDagJson, dagCborToDiagnostic, DagJsonEncodeError } from '../hotpath/index.ts'
import { CODECS, codecNameOf } from '../lib/multicodec.ts'
import { isUnavailable, type BlockSource } from './block-source.ts'
import type { Block } from '../lib/block.ts'
import { bytesAs, type CodecFormat } from './codec-formats.ts'
import { carBlocks, carBytes, checkDuplicateExpansion, checkEntityBytes, walksWholeDag } from './car-stream.ts'
import { tarBytes } from './tar-stream.ts'
import { isJson, typeFromName, sniffType } from './content-type.ts'
import { BlockNotStoredError, GatewayError } from './errors.ts'
import { setDisposition } from './disposition.ts'
import { multipartRanges, parseRanges, type RangeReader } from './ranges.ts'
import { dagNodePage, directoryListing, errorPage, LISTING_VERSION } from './pages.ts'
import { FORMATS, parseGatewayRequest, type Format, type GatewayRequest } from './request.ts'
import { fetchBlock, resolveContentPath, type ResolvedPath } from './resolve.ts'
import { decodeUnixfs, directoryEntries, entityKind, fileSize, findEntry, walkFile } from '../unixfs/reader.ts'
import { securityHeaders } from './security-headers.ts'

const IMMUTABLE = 'public, max-age=29030400, immutable'
/**
 * Pages the gateway generates (directory listings, the DAG-CBOR/DAG-JSON HTML view) change
 * with a new Cairn version, so they are not immutable: a week, then revalidated by Etag (a
 * stale one may be shown for a month while it is), the one form besides none that the
 * upstream conformance suite accepts for generated HTML.
 */
const GENERATED = 'public, max-age=604800, stale-while-revalidate=2678400'
/** Files are checked for being JSON (sniffing, `?format=json`) up to this size. */
const JSON_CHECK_LIMIT = 4 * 1024 * 1024

/** The codecs the gateway serves as they are (the deserialized responses of the spec). */
const SERVED_CODECS = new Set<string>(['dag-pb', 'dag-cbor', 'dag-json', 'raw', 'json', 'cbor'])

/** A block's codec name when the gateway serves that codec. */
function servedCodec (code: number): string | undefined {
  const name = codecNameOf(code)
  return name !== undefined && SERVED_CODECS.has(name) ? name : undefined
}

/** Turns an async generator into a response body that reads it on demand. */
function streamOf (source: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull (controller) {
      try {
        const { value, done } = await source.next()
        if (done === true) controller.close()
        else controller.enqueue(value)
      } catch (err) {
        controller.error(err)
      }
    },
    async cancel () {
      await source.return(undefined)
    }
  }, { highWaterMark: 2 })
}

/** Response headers common to every answer for a request. */
function baseHeaders (req: GatewayRequest | undefined): Headers {
  const headers = new Headers(securityHeaders())
  if (req !== undefined) headers.set('X-Ipfs-Path', encodeURI(req.contentPath))
  return headers
}

/** An HTML error response (with the security headers every `/ipfs/` response carries). */
export function errorResponse (status: number, message: string, req?: GatewayRequest, details: string[] = []): Response {
  const headers = baseHeaders(req)
  headers.set('Content-Type', 'text/html; charset=utf-8')
  headers.set('Cache-Control', 'no-store')
  if (status === 405) headers.set('Allow', 'GET, HEAD')
  return new Response(req?.method === 'HEAD' ? null : errorPage(status, message, req?.contentPath, details), { status, headers })
}

function etagMatches (req: GatewayRequest, etag: string): boolean {
  const header = req.ifNoneMatch
  if (header === undefined) return false
  return header.trim() === '*' || header.split(',').map(t => t.trim().replace(/^W\//, '')).includes(etag.replace(/^W\//, ''))
}

/**
 * `Cache-Control: only-if-cached` for content that is not stored: 412 with no payload and
 * no content headers (path gateway spec), only the isolation headers every answer carries.
 */
function preconditionFailed (req: GatewayRequest): Response {
  const headers = baseHeaders(req)
  headers.set('Cache-Control', 'no-store')
  return new Response(null, { status: 412, headers })
}

/** Finishes a response: Etag, caching, 304 for a matching `If-None-Match`, no body for HEAD. */
function respond (req: GatewayRequest, status: number, headers: Headers, etag: string, body: BodyInit | null, cache = IMMUTABLE): Response {
  headers.set('Etag', etag)
  headers.set('Cache-Control', cache)
  if (etagMatches(req, etag)) {
    headers.delete('Content-Length')
    return new Response(null, { status: 304, headers })
  }
  if (req.method === 'HEAD' && body instanceof ReadableStream) void body.cancel()
  return new Response(req.method === 'HEAD' ? null : body, { status, headers })
}

/**
 * The body of an entity of `size` bytes for the request's `Range`: the whole (200), one range
 * (206), several (206, `multipart/byteranges`), or 416 when no range overlaps it.
 */
function rangedResponse (req: GatewayRequest, headers: Headers, etag: string, size: number, read: RangeReader): Response {
  headers.set('Accept-Ranges', 'bytes')
  const ranges = req.range === undefined ? undefined : parseRanges(req.range, size)
  if (ranges === 'unsatisfiable') {
    headers.set('Content-Range', `bytes */${size}`)
    return respond(req, 416, headers, etag, null)
  }
  if (ranges === undefined || ranges.length === 1) {
    const { start, end } = ranges?.[0] ?? { start: 0, end: size }
    headers.set('Content-Length', String(end - start))
    if (ranges !== undefined) headers.set('Content-Range', `bytes ${start}-${end - 1}/${size}`)
    return respond(req, ranges === undefined ? 200 : 206, headers, etag, streamOf(read(start, end)))
  }
  const multipart = multipartRanges(ranges, size, headers.get('Content-Type') ?? 'application/octet-stream', read)
  headers.set('Content-Type', multipart.contentType)
  headers.set('Content-Length', String(multipart.length))
  return respond(req, 206, headers, etag, streamOf(multipart.body()))
}

/** Reads a file entity's bytes `[start, end)` in chunks. */
function fileReader (block: Block, get: BlockSource): RangeReader {
  return async function * (start, end) {
    for await (const step of walkFile(block, get, start, end)) if (step.data !== undefined && step.data.length > 0) yield step.data
  }
}

/** The whole of a file entity, or undefined when it is larger than `limit` bytes. */
async function readWhole (block: Block, get: BlockSource, limit: number): Promise<Uint8Array | undefined> {
  const size = fileSize(block)
  if (size > limit) return undefined
  const parts: Uint8Array[] = []
  for await (const part of fileReader(block, get)(0, size)) parts.push(part)
  return concat(parts)
}

/**
 * What a file entity is served as: its name's type, else sniffed. JSON is recognised on the
 * whole file; its bytes are then kept (`whole`), so the response does not read them again.
 */
async function fileType (block: Block, get: BlockSource, name: string | undefined): Promise<{ type: string, whole?: Uint8Array }> {
  const named = typeFromName(name ?? '')
  if (named !== undefined) return { type: named }
  const size = fileSize(block)
  const head: Uint8Array[] = []
  for await (const part of fileReader(block, get)(0, Math.min(size, 512))) head.push(part)
  const sniffed = sniffType(concat(head))
  if (sniffed.startsWith('text/plain') && /^\s*[[{]/.test(new TextDecoder().decode(head[0] ?? new Uint8Array()))) {
    const whole = await readWhole(block, get, JSON_CHECK_LIMIT)
    if (whole !== undefined && isJson(whole)) return { type: 'application/json', whole }
  }
  return { type: sniffed }
}

/** Reads `[start, end)` of bytes already in memory. */
function bytesReader (bytes: Uint8Array): RangeReader {
  return async function * (start, end) { yield bytes.subarray(start, end) }
}

/** How a file response identifies itself, when not as the file (a directory's `index.html`). */
interface FileIdentity {
  etag: string
  roots: CID[]
}

/** Serves a file entity (raw block or UnixFS file) with its type, length and ranges. */
async function fileResponse (req: GatewayRequest, resolved: ResolvedPath, get: BlockSource, name: string | undefined, identity?: FileIdentity): Promise<Response> {
  const { block } = resolved
  const headers = baseHeaders(req)
  headers.set('X-Ipfs-Roots', (identity?.roots ?? resolved.roots).join(','))
  const { type, whole } = await fileType(block, get, req.filename ?? name)
  headers.set('Content-Type', type)
  setDisposition(req, headers, req.filename ?? name, 'optional')
  return rangedResponse(req, headers, identity?.etag ?? `"${block.cid}"`, fileSize(block), whole === undefined ? fileReader(block, get) : bytesReader(whole))
}

/**
 * `?format=json` (or `Accept: application/json`) on a raw or UnixFS file: served as
 * `application/json` when its bytes are valid JSON (path gateway spec, "application/json");
 * undefined otherwise.
 */
async function jsonFileResponse (req: GatewayRequest, resolved: ResolvedPath, get: BlockSource): Promise<Response | undefined> {
  const { block } = resolved
  const whole = await readWhole(block, get, JSON_CHECK_LIMIT)
  if (whole === undefined || !isJson(whole)) return undefined
  const headers = baseHeaders(req)
  headers.set('X-Ipfs-Roots', resolved.roots.join(','))
  headers.set('Content-Type', FORMATS.json)
  setDisposition(req, headers, `${block.cid}.json`, 'inline')
  return rangedResponse(req, headers, `"${block.cid}.json"`, whole.length, bytesReader(whole))
}

/** A directory: 301 to the slash form, its `index.html`, or a generated listing. */
async function directoryResponse (req: GatewayRequest, resolved: ResolvedPath, get: BlockSource): Promise<Response> {
  const { block } = resolved
  if (!req.trailingSlash) {
    const headers = baseHeaders(req)
    const location = new URL(req.url)
    location.pathname += '/'
    headers.set('Location', location.pathname + location.search)
    return respond(req, 301, headers, `"${block.cid}.redirect"`, null)
  }
  const index = await findEntry(block, 'index.html', get)
  if (index !== undefined) {
    const indexBlock = await fetchBlock(index, get, `${req.contentPath}/index.html`)
    if (entityKind(indexBlock) === 'file') {
      // The response stands for the directory: its CID is the Etag, its path the roots.
      return fileResponse(req, { ...resolved, block: indexBlock }, get, 'index.html', { etag: `"${block.cid}"`, roots: resolved.roots })
    }
  }
  const entries = []
  for await (const entry of directoryEntries(block, get)) entries.push(entry)
  const headers = baseHeaders(req)
  headers.set('X-Ipfs-Roots', resolved.roots.join(','))
  headers.set('Content-Type', 'text/html; charset=utf-8')
  return respond(req, 200, headers, `"DirIndex-${LISTING_VERSION}_CID-${block.cid}"`, directoryListing(req.contentPath.replace(/\/?$/, '/'), block.cid, entries, req.siteRoot), GENERATED)
}

/** `?format=raw`: the terminal block as it is stored, with ranges. */
function rawResponse (req: GatewayRequest, { block, roots }: ResolvedPath): Response {
  const headers = baseHeaders(req)
  headers.set('X-Ipfs-Roots', roots.join(','))
  headers.set('Content-Type', FORMATS.raw)
  setDisposition(req, headers, `${block.cid}.bin`, 'attachment')
  const bytes = block.bytes
  return rangedResponse(req, headers, `"${block.cid}.raw"`, bytes.length, bytesReader(bytes))
}

/** A short stable hash, to tell apart CAR responses of different paths and parameters. */
function fingerprint (text: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return (hash >>> 0).toString(36)
}

/** `?format=car`: the path's blocks and the requested scope, as a streamed CARv1 (a `dups=y` one bounded first). */
async function carResponse (req: GatewayRequest, resolved: ResolvedPath, get: BlockSource): Promise<Response> {
  const options = req.car
  checkEntityBytes(resolved.block, options)
  if (options.dups && walksWholeDag(resolved.block, options)) await checkDuplicateExpansion(resolved.block, get)
  const headers = baseHeaders(req)
  headers.set('Content-Type', `${FORMATS.car}; version=1; order=dfs; dups=${options.dups ? 'y' : 'n'}`)
  // A CAR is a stream: byte ranges of it are not served (Kubo says so the same way).
  headers.set('Accept-Ranges', 'none')
  setDisposition(req, headers, `${req.cid}.car`, 'attachment')
  const bytes = options.entityBytes === undefined ? '' : `${options.entityBytes.from}:${options.entityBytes.to ?? '*'}`
  const etag = `"${req.cid}.car.${fingerprint([req.contentPath, options.scope, bytes, options.dups].join('|'))}"`
  return respond(req, 200, headers, etag, streamOf(carBytes(req.cid, carBlocks(resolved, options, get))))
}

/**
 * `?format=tar`: the UnixFS tree at the path as a TAR (IPIP-288), its root entry named after
 * the path's last segment (or the CID), streamed; refused before the first byte when a name
 * would escape the root. The same DAG gives the same bytes (entries in link order, absent
 * mtimes as the epoch); its Etag is weak, as the upstream suite asks.
 */
async function tarResponse (req: GatewayRequest, resolved: ResolvedPath, get: BlockSource): Promise<Response> {
  const rootName = req.segments.at(-1) ?? req.cid.toString()
  const body = await tarBytes(resolved.block, rootName, get)
  const headers = baseHeaders(req)
  headers.set('Content-Type', FORMATS.tar)
  headers.set('Accept-Ranges', 'none')
  setDisposition(req, headers, `${rootName}.tar`, 'attachment')
  return respond(req, 200, headers, `W/"${resolved.block.cid}.x-tar"`, streamOf(body))
}

/** A block under a codec's media type: its own (no format asked for), or the one asked for (`?format=dag-json` and friends). */
function codecResponse (req: GatewayRequest, { block, roots }: ResolvedPath, format: CodecFormat | undefined): Response {
  const codec = servedCodec(block.cid.code) as string
  const headers = baseHeaders(req)
  headers.set('X-Ipfs-Roots', roots.join(','))
  if (format === undefined && req.wantsHtml && (block.cid.code === CODECS['dag-cbor'] || block.cid.code === CODECS['dag-json'])) {
    headers.set('Content-Type', 'text/html; charset=utf-8')
    const text = block.cid.code === CODECS['dag-cbor'] ? dagCborAsText(block.bytes) : new TextDecoder().decode(block.bytes)
    return respond(req, 200, headers, `"DagIndex-${LISTING_VERSION}_CID-${block.cid}"`, dagNodePage(req.contentPath, block.cid, codec, text), GENERATED)
  }
  const name = format ?? (codec as CodecFormat)
  const bytes = format === undefined ? block.bytes : bytesAs(block, format) ?? notAcceptable(block, format)
  headers.set('Content-Type', FORMATS[name] ?? 'application/octet-stream')
  const isText = name === 'dag-json' || name === 'json'
  setDisposition(req, headers, `${block.cid}.${isText ? 'json' : 'cbor'}`, isText ? 'inline' : 'attachment')
  return rangedResponse(req, headers, `"${block.cid}.${name}"`, bytes.length, bytesReader(bytes))
}

/** DAG-CBOR as DAG-JSON for the HTML view, or in CBOR diagnostic notation where DAG-JSON cannot represent it. */
function dagCborAsText (bytes: Uint8Array): string {
  try {
    return dagCborToDagJson(bytes)
  } catch (err) {
    if (err instanceof DagJsonEncodeError) return `${dagCborToDiagnostic(bytes)}\n\n(CBOR diagnostic notation: DAG-JSON cannot represent this data)`
    throw err
  }
}

function notAcceptable (block: Block, format: Format): never {
  const codec = servedCodec(block.cid.code) ?? `0x${block.cid.code.toString(16)}`
  throw new GatewayError(406, `${block.cid} is ${codec}; the gateway does not convert it to ${format}. ` +
    'Fetch it with ?format=raw and convert it on your side.')
}

/** Answers a parsed request from resolved content. */
async function answer (req: GatewayRequest, get: BlockSource): Promise<Response> {
  if (req.format === 'ipns-record') throw new GatewayError(400, 'IPNS records are only served for /ipns/ paths, which this node does not resolve')
  const resolved = await resolveContentPath(req.cid, req.segments, get)
  const { block } = resolved
  const format = req.format
  if (format === 'raw') return rawResponse(req, resolved)
  if (format === 'car') return carResponse(req, resolved, get)
  if (format === 'tar') return tarResponse(req, resolved, get)
  const unixfs = block.cid.code === CODECS.raw || block.cid.code === CODECS['dag-pb']
  if ((format === 'json' || format === 'cbor') && unixfs) {
    // A JSON file as application/json; any other UnixFS content as if no format was asked
    // for (no conversion: what the upstream suite and Kubo do).
    const isFile = block.cid.code === CODECS.raw || entityKind(block) === 'file'
    return (format === 'json' && isFile ? await jsonFileResponse(req, resolved, get) : undefined) ?? deserializedResponse(req, resolved, get)
  }
  if (format !== undefined) return codecResponse(req, resolved, format)
  return deserializedResponse(req, resolved, get)
}

/** The content at the path as the web sees it: a file, a directory, a symlink's target, or a block under its codec's type. */
async function deserializedResponse (req: GatewayRequest, resolved: ResolvedPath, get: BlockSource): Promise<Response> {
  const { block } = resolved
  const code = block.cid.code
  if (code === CODECS.raw) return fileResponse(req, resolved, get, req.segments.at(-1))
  if (code === CODECS['dag-pb']) {
    const kind = entityKind(block)
    if (kind === 'file') return fileResponse(req, resolved, get, req.segments.at(-1))
    if (kind === 'directory' || kind === 'hamt') return directoryResponse(req, resolved, get)
    if (kind === 'symlink') {
      const target = decodeUnixfs(block.bytes).unixfs.data ?? new Uint8Array(0)
      const headers = baseHeaders(req)
      headers.set('Content-Type', 'text/plain; charset=utf-8')
      return respond(req, 200, headers, `"${block.cid}"`, target as Uint8Array<ArrayBuffer>)
    }
    throw new GatewayError(501, `${block.cid} is a dag-pb node that is not a UnixFS file, directory or symlink`)
  }
  if (servedCodec(code) !== undefined) return codecResponse(req, resolved, undefined)
  throw new GatewayError(400, `${block.cid} has codec 0x${code.toString(16)}, which this gateway cannot serve; ask for ?format=raw or ?format=car`)
}

/** How a request is answered beyond what it says itself. */
export interface GatewayOptions {
  /** The content path a site's own origin serves from its `/`: generated pages then link within the site. */
  siteRoot?: string
}

/**
 * Answers an `/ipfs/` request the way the path and trustless gateway specs describe, from the
 * blocks `get` provides. Never throws: failures become HTML error responses with the right
 * status. Every response carries the content-isolation headers.
 */
export async function handleGatewayRequest (request: Request, get: BlockSource, options: GatewayOptions = {}): Promise<Response> {
  let req: GatewayRequest | undefined
  try {
    req = { ...parseGatewayRequest(request), ...options }
    // only-if-cached: every block of the answer comes from local blocks, never the network.
    const source: BlockSource = req.onlyIfCached ? async cid => get(cid, { offline: true }) : get
    const response = await answer(req, source)
    if (req.formatFromAccept && req.format !== undefined && response.status < 300 && response.headers.get('Content-Type')?.startsWith(FORMATS[req.format]) === true) {
      const location = new URL(req.url)
      location.searchParams.set('format', req.format)
      response.headers.set('Content-Location', location.pathname + location.search)
    }
    return response
  } catch (err) {
    if (err instanceof BlockNotStoredError && req?.onlyIfCached === true) return preconditionFailed(req)
    if (err instanceof GatewayError) return errorResponse(err.status, err.message, req, err.details)
    if (isUnavailable(err)) return errorResponse(504, err.message, req, (err.attempts ?? []).map(a => `${a.source}: ${a.outcome}`))
    const error = err as Error | undefined
    return errorResponse(500, `${error?.name ?? 'Error'}: ${error?.message ?? String(err)}`, req)
  }
}
