import { MAX_IPNS_RECORD_BYTES } from './ipns-record.ts'
import type { IpnsKeyName } from './name.ts'

/** The media type of a signed IPNS record (IPIP-351). */
export const IPNS_RECORD_TYPE = 'application/vnd.ipfs.ipns-record'

/** What a routing endpoint answered for a name. */
export type RoutingAnswer =
  | { found: true, bytes: Uint8Array }
  | { found: false, reason: string }

/**
 * Asks one Delegated Routing V1 endpoint for a name's record
 * (`GET /routing/v1/ipns/{name}`, `Accept: application/vnd.ipfs.ipns-record`) and returns the
 * bytes as sent, unchecked (the caller checks them and counts a bad record against this
 * endpoint). "No record" is an answer: a 404, or any other content type, as the spec says.
 * A body is read up to one byte past `MAX_IPNS_RECORD_BYTES`, so an endless one costs nothing.
 * Throws when the endpoint cannot be reached or fails (5xx). Written here rather than with
 * the routing client's `getIPNS`, which hands back a parsed record: the record must be kept,
 * and served, byte for byte.
 */
export async function fetchRoutingRecord (endpoint: string, name: IpnsKeyName, signal?: AbortSignal): Promise<RoutingAnswer> {
  const response = await fetch(`${endpoint}/routing/v1/ipns/${name.name}`, { headers: { Accept: IPNS_RECORD_TYPE }, ...(signal === undefined ? {} : { signal }) })
  if (response.status === 404) return { found: false, reason: 'no record (404)' }
  if (!response.ok) throw new Error(`HTTP ${response.status}`)
  const type = (response.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase()
  if (type !== IPNS_RECORD_TYPE) {
    await response.body?.cancel()
    return { found: false, reason: `no record (answered ${type === '' ? 'without a content type' : type})` }
  }
  return { found: true, bytes: await readCapped(response, MAX_IPNS_RECORD_BYTES + 1) }
}

/** The body, or its first `limit` bytes when it is longer (the rest is not read). */
async function readCapped (response: Response, limit: number): Promise<Uint8Array> {
  const reader = response.body?.getReader()
  if (reader === undefined) return new Uint8Array()
  const chunks: Uint8Array[] = []
  let length = 0
  while (length < limit) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    length += value.byteLength
  }
  await reader.cancel().catch(() => {})
  const out = new Uint8Array(Math.min(length, limit))
  let at = 0
  for (const chunk of chunks) {
    const part = chunk.subarray(0, out.length - at)
    out.set(part, at)
    at += part.length
    if (at === out.length) break
  }
  return out
}

/**
 * Hands a signed record to one routing endpoint (`PUT /routing/v1/ipns/{name}`). Resolves
 * when it was accepted; throws with the endpoint's reason otherwise. An always-on node that
 * keeps and republishes records (the relay as a home node) is such an endpoint too.
 */
export async function putRoutingRecord (endpoint: string, name: string, record: Uint8Array, signal?: AbortSignal): Promise<void> {
  const response = await fetch(`${endpoint}/routing/v1/ipns/${name}`, {
    method: 'PUT',
    headers: { 'Content-Type': IPNS_RECORD_TYPE },
    body: new Uint8Array(record),
    ...(signal === undefined ? {} : { signal })
  })
  if (!response.ok) throw new Error(`HTTP ${response.status}${response.statusText === '' ? '' : ` ${response.statusText}`}: ${(await response.text().catch(() => '')).slice(0, 200)}`)
  await response.body?.cancel()
}
