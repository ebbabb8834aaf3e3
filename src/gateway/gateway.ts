import * as dagCbor from '@ipld/dag-cbor'
import * as dagJson from '@ipld/dag-json'
import * as dagPb from '@ipld/dag-pb'
import * as raw from 'multiformats/codecs/raw'
import { concat } from 'uint8arrays/concat'
import { dagCborToDagJson, dagCborToDiagnostic, DagJsonEncodeError } from '../hotpath/index.ts'
import type { Block, BlockSource } from './block-source.ts'
import { carBlocks, carBytes, checkEntityBytes } from './car-stream.ts'
import { typeFromName, sniffType } from './content-type.ts'
import { GatewayError } from './errors.ts'
import { dagNodePage, directoryListing, errorPage, LISTING_VERSION } from './pages.ts'
import { FORMATS, parseGatewayRequest, parseRange, type Format, type GatewayRequest } from './request.ts'
import { fetchBlock, resolveContentPath, type ResolvedPath } from './resolve.ts'
import { decodeUnixfs, directoryEntries, entityKind, fileSize, findEntry, walkFile } from './unixfs.ts'
import { securityHeaders } from './security-headers.ts'

const IMMUTABLE = 'public, max-age=29030400, immutable'
const CODEC_JSON = 0x0200
const CODEC_CBOR = 0x51

/** The codec each codec-specific format requires of the block. */
const FORMAT_CODEC: Partial<Record<Format, number>> = {
  'dag-json': dagJson.code,
  'dag-cbor': dagCbor.code,
  json: CODEC_JSON,
  cbor: CODEC_CBOR
}

const CODEC_NAMES: Record<number, string> = {
  [dagPb.code]: 'dag-pb', [dagCbor.code]: 'dag-cbor', [dagJson.code]: 'dag-json', [raw.code]: 'raw', [CODEC_JSON]: 'json', [CODEC_CBOR]: 'cbor'
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
export function errorResponse (status: number, message: string, req?: GatewayRequest): Response {
  const headers = baseHeaders(req)
  headers.set('Content-Type', 'text/html; charset=utf-8')
  headers.set('Cache-Control', 'no-store')
  if (status === 405) headers.set('Allow', 'GET, HEAD')
  return new Response(req?.method === 'HEAD' ? null : errorPage(status, message, req?.contentPath), { status, headers })
}

function etagMatches (req: GatewayRequest, etag: string): boolean {
  const header = req.ifNoneMatch
  if (header === undefined) return false
  return header.trim() === '*' || header.split(',').map(t => t.trim().replace(/^W\//, '')).includes(etag.replace(/^W\//, ''))
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

/** `Content-Disposition` for `?download=true` or `?filename=`. */
function setDisposition (req: GatewayRequest, headers: Headers, fallbackName: string | undefined, forceAttachment = false): void {
  const name = req.filename ?? fallbackName
  const kind = req.download || forceAttachment ? 'attachment' : 'inline'
  if (!req.download && !forceAttachment && req.filename === undefined) return
  if (name === undefined) { headers.set('Content-Disposition', kind); return }
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_')
  headers.set('Content-Disposition', `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`)
}

/** Serves a file entity (raw block or UnixFS file) with its type, length and ranges. */
async function fileResponse (req: GatewayRequest, resolved: ResolvedPath, get: BlockSource, name: string | undefined): Promise<Response> {
  const { block } = resolved
  const size = fileSize(block)
  const headers = baseHeaders(req)
  headers.set('X-Ipfs-Roots', resolved.roots.join(','))
  headers.set('Accept-Ranges', 'bytes')
  let type = typeFromName(req.filename ?? name ?? '')
  if (type === undefined) {
    const head: Uint8Array[] = []
    for await (const step of walkFile(block, get, 0, Math.min(size, 512))) if (step.data !== undefined) head.push(step.data)
    type = sniffType(concat(head))
  }
  headers.set('Content-Type', type)
  setDisposition(req, headers, req.filename ?? name)
  const etag = `"${block.cid}"`
  const range = req.range === undefined ? undefined : parseRange(req.range, size)
  if (range === 'unsatisfiable') {
    headers.set('Content-Range', `bytes */${size}`)
    return respond(req, 416, headers, etag, null)
  }
  const { start, end } = range ?? { start: 0, end: size }
  headers.set('Content-Length', String(end - start))
  if (range !== undefined) headers.set('Content-Range', `bytes ${start}-${end - 1}/${size}`)
  const body = async function * (): AsyncGenerator<Uint8Array> {
    for await (const step of walkFile(block, get, start, end)) if (step.data !== undefined && step.data.length > 0) yield step.data
  }
  return respond(req, range === undefined ? 200 : 206, headers, etag, streamOf(body()))
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
      return fileResponse(req, { ...resolved, block: indexBlock, roots: [...resolved.roots, index] }, get, 'index.html')
    }
  }
  const entries = []
  for await (const entry of directoryEntries(block, get)) entries.push(entry)
  const headers = baseHeaders(req)
  headers.set('X-Ipfs-Roots', resolved.roots.join(','))
  headers.set('Content-Type', 'text/html; charset=utf-8')
  return respond(req, 200, headers, `"DirIndex-${LISTING_VERSION}_CID-${block.cid}"`, directoryListing(req.contentPath.replace(/\/?$/, '/'), block.cid, entries))
}

/** `?format=raw`: the terminal block as it is stored. */
function rawResponse (req: GatewayRequest, block: Block): Response {
  const headers = baseHeaders(req)
  headers.set('Content-Type', FORMATS.raw)
  setDisposition(req, headers, `${block.cid}.bin`, true)
  headers.set('Content-Length', String(block.bytes.length))
  return respond(req, 200, headers, `"${block.cid}.raw"`, block.bytes as Uint8Array<ArrayBuffer>)
}

/** A short stable hash, to tell apart CAR responses of different paths and parameters. */
function fingerprint (text: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return (hash >>> 0).toString(36)
}

/** `?format=car`: the path's blocks and the requested scope, as a streamed CARv1. */
function carResponse (req: GatewayRequest, resolved: ResolvedPath, get: BlockSource): Response {
  const options = req.car
  checkEntityBytes(resolved.block, options)
  const headers = baseHeaders(req)
  headers.set('Content-Type', `${FORMATS.car}; version=1; order=dfs; dups=${options.dups ? 'y' : 'n'}`)
  setDisposition(req, headers, `${req.cid}.car`, true)
  const bytes = options.entityBytes === undefined ? '' : `${options.entityBytes.from}:${options.entityBytes.to ?? '*'}`
  const etag = `"${req.cid}.car.${fingerprint([req.contentPath, options.scope, bytes, options.dups].join('|'))}"`
  return respond(req, 200, headers, etag, streamOf(carBytes(req.cid, carBlocks(resolved, options, get))))
}

/** A block served as-is under its codec's media type (`?format=dag-json` and friends). */
function codecResponse (req: GatewayRequest, { block, roots }: ResolvedPath, format: Format | undefined): Response {
  const codec = CODEC_NAMES[block.cid.code]
  const headers = baseHeaders(req)
  headers.set('X-Ipfs-Roots', roots.join(','))
  if (format === undefined && req.wantsHtml && (block.cid.code === dagCbor.code || block.cid.code === dagJson.code)) {
    headers.set('Content-Type', 'text/html; charset=utf-8')
    const text = block.cid.code === dagCbor.code ? dagCborAsText(block.bytes) : new TextDecoder().decode(block.bytes)
    return respond(req, 200, headers, `"DagIndex-${LISTING_VERSION}_CID-${block.cid}"`, dagNodePage(req.contentPath, block.cid, codec, text))
  }
  const name = format ?? (codec as Format)
  headers.set('Content-Type', FORMATS[name] ?? 'application/octet-stream')
  setDisposition(req, headers, `${block.cid}.${name === 'dag-json' || name === 'json' ? 'json' : 'cbor'}`)
  headers.set('Content-Length', String(block.bytes.length))
  return respond(req, 200, headers, `"${block.cid}.${name}"`, block.bytes as Uint8Array<ArrayBuffer>)
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
  const codec = CODEC_NAMES[block.cid.code] ?? `0x${block.cid.code.toString(16)}`
  throw new GatewayError(406, `${block.cid} is ${codec}; the gateway does not convert it to ${format}. ` +
    `Fetch it with ?format=raw and convert it on your side${format === 'tar' ? ' (TAR responses are not produced)' : ''}.`)
}

/** Answers a parsed request from resolved content. */
async function answer (req: GatewayRequest, get: BlockSource): Promise<Response> {
  if (req.format === 'ipns-record') throw new GatewayError(400, 'IPNS records are only served for /ipns/ paths, which this node does not resolve')
  const resolved = await resolveContentPath(req.cid, req.segments, get)
  const { block } = resolved
  const format = req.format
  if (format === 'raw') return rawResponse(req, block)
  if (format === 'car') return carResponse(req, resolved, get)
  if (format === 'tar') notAcceptable(block, format)
  if (format !== undefined) {
    if (FORMAT_CODEC[format] !== block.cid.code) notAcceptable(block, format)
    return codecResponse(req, resolved, format)
  }
  const code = block.cid.code
  if (code === raw.code) return fileResponse(req, resolved, get, req.segments.at(-1))
  if (code === dagPb.code) {
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
  if (CODEC_NAMES[code] !== undefined) return codecResponse(req, resolved, undefined)
  throw new GatewayError(400, `${block.cid} has codec 0x${code.toString(16)}, which this gateway cannot serve; ask for ?format=raw or ?format=car`)
}

/**
 * Answers an `/ipfs/` request the way the path and trustless gateway specs describe, from the
 * blocks `get` provides. Never throws: failures become HTML error responses with the right
 * status. Every response carries the content-isolation headers.
 */
export async function handleGatewayRequest (request: Request, get: BlockSource): Promise<Response> {
  let req: GatewayRequest | undefined
  try {
    req = parseGatewayRequest(request)
    const response = await answer(req, get)
    if (req.formatFromAccept && req.format !== undefined && response.status < 300) {
      const location = new URL(req.url)
      location.searchParams.set('format', req.format)
      response.headers.set('Content-Location', location.pathname + location.search)
    }
    return response
  } catch (err) {
    if (err instanceof GatewayError) return errorResponse(err.status, err.message, req)
    const error = err as Error | undefined
    return errorResponse(500, `${error?.name ?? 'Error'}: ${error?.message ?? String(err)}`, req)
  }
}
