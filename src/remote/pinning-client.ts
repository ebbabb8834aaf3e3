/** A pin's status at a pinning service (the API's `Status`). */
export type RemoteStatus = 'queued' | 'pinning' | 'pinned' | 'failed'

/** The API's `PinStatus`, as far as Cairn reads it. */
export interface RemotePinStatus {
  requestid: string
  status: RemoteStatus
  created: string
  pin: { cid: string, name?: string }
  delegates: string[]
  info?: Record<string, string>
}

/** A pinning service answered with an error (the API's `Failure`), or with something that is not the API. */
export class PinningServiceError extends Error {
  static override readonly name = 'PinningServiceError'
  override name = 'PinningServiceError'
  readonly status: number
  readonly reason: string

  constructor (status: number, reason: string, message: string) {
    super(message)
    this.status = status
    this.reason = reason
  }
}

/** The service could not be reached at all (offline, a wrong address, CORS refused). */
export class PinningServiceUnreachableError extends Error {
  static override readonly name = 'PinningServiceUnreachableError'
  override name = 'PinningServiceUnreachableError'
}

const STATUSES = new Set(['queued', 'pinning', 'pinned', 'failed'])

function readStatus (body: unknown): RemotePinStatus {
  const s = body as Partial<RemotePinStatus> | null
  if (s === null || typeof s !== 'object' || typeof s.requestid !== 'string' || !STATUSES.has(s.status as string) || !Array.isArray(s.delegates)) {
    throw new PinningServiceError(502, 'NOT_A_PIN_STATUS', 'the service answered with something that is not a PinStatus')
  }
  return s as RemotePinStatus
}

/**
 * A client of the IPFS Pinning Service API v1.0.0: the four calls Cairn needs, over `fetch`
 * with a bearer token. Written here rather than taken from the generated client on npm: the
 * API is frozen, the calls are a few lines each, and the Service Worker bundle stays small.
 * Every error is a `PinningServiceError` (status, the API's `reason`, its `details`) or a
 * `PinningServiceUnreachableError`.
 */
export class PinningClient {
  private readonly endpoint: string
  private readonly token: string

  constructor (endpoint: string, token: string) {
    this.endpoint = endpoint.replace(/\/+$/, '')
    this.token = token
  }

  private async call (method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<unknown> {
    let response: Response
    try {
      response = await fetch(`${this.endpoint}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: signal ?? AbortSignal.timeout(20_000)
      })
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err
      throw new PinningServiceUnreachableError(`${this.endpoint} cannot be reached (${(err as Error).message})`)
    }
    const text = await response.text()
    let parsed: unknown
    try {
      parsed = text === '' ? null : JSON.parse(text)
    } catch {
      throw new PinningServiceError(response.status, 'NOT_JSON', `${this.endpoint} answered ${response.status} with something that is not JSON: is it a pinning service?`)
    }
    if (!response.ok) {
      const failure = (parsed as { error?: { reason?: unknown, details?: unknown } } | null)?.error
      const reason = typeof failure?.reason === 'string' ? failure.reason : `HTTP_${response.status}`
      const details = typeof failure?.details === 'string' ? failure.details : response.statusText
      throw new PinningServiceError(response.status, reason, `${response.status} ${reason}${details === '' ? '' : `: ${details}`}`)
    }
    return parsed
  }

  /** `GET /pins?limit=1`: whether the endpoint and token work (throws why not). */
  async check (signal?: AbortSignal): Promise<{ count: number }> {
    const body = await this.call('GET', '/pins?limit=1&status=queued,pinning,pinned,failed', undefined, signal) as { count?: unknown }
    if (typeof body?.count !== 'number') throw new PinningServiceError(502, 'NOT_PIN_RESULTS', 'the service answered, but not with PinResults')
    return { count: body.count }
  }

  /** `POST /pins`. */
  async add (pin: { cid: string, name?: string, origins?: string[], meta?: Record<string, string> }, signal?: AbortSignal): Promise<RemotePinStatus> {
    return readStatus(await this.call('POST', '/pins', pin, signal))
  }

  /** `GET /pins/{requestid}`. */
  async get (requestid: string, signal?: AbortSignal): Promise<RemotePinStatus> {
    return readStatus(await this.call('GET', `/pins/${encodeURIComponent(requestid)}`, undefined, signal))
  }

  /** `DELETE /pins/{requestid}`. */
  async remove (requestid: string, signal?: AbortSignal): Promise<void> {
    await this.call('DELETE', `/pins/${encodeURIComponent(requestid)}`, undefined, signal)
  }
}
