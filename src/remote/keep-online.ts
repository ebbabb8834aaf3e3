import type { SettingsStore } from '../lib/settings-store.ts'
import { PinningClient, PinningServiceError, PinningServiceUnreachableError, type RemotePinStatus, type RemoteStatus } from './pinning-client.ts'
import { BUNDLED_SERVICE_ID, DEFAULT_REMOTE_SETTINGS, InvalidRemoteSettingError, type RemoteService, type RemoteSettings } from './services.ts'

/**
 * Where a pin stands at one service: the service's own status, or Cairn's when the service
 * has not taken it: `unsent` (it could not be reached; asked again on the next check) and
 * `refused` (it answered no: a bad token, no quota left; asked again only on "Retry").
 */
export type RemoteState = RemoteStatus | 'unsent' | 'refused'

/** One pin at one service. */
export interface RemotePinAtService {
  state: RemoteState
  /** The service's request id, once it took the pin. */
  requestid?: string
  /** The service's `info.status_details`, or why Cairn could not ask it. */
  details?: string
  /** When the service was last asked (ms since the epoch). */
  checkedAt: number
}

/** A local pin and where it is kept online. */
export interface RemotePinRecord {
  /** The pin's root (CIDv1 string, as the Library keys pins). */
  cid: string
  name: string
  services: Record<string, RemotePinAtService>
}

/** Where remote pin states are kept: IndexedDB in the app, memory in tests. */
export interface RemotePinStore {
  get(cid: string): Promise<RemotePinRecord | undefined>
  put(record: RemotePinRecord): Promise<void>
  delete(cid: string): Promise<void>
  list(): Promise<RemotePinRecord[]>
}

/** A service as the settings page and the Library show it. */
export interface ServiceView {
  id: string
  name: string
  endpoint: string
  /** The home node the app was served with: listed on its own, not editable. */
  bundled: boolean
}

/** What keeping content online needs from the node. */
export interface KeepOnlineInit {
  settings: SettingsStore<RemoteSettings>
  store: RemotePinStore
  /** The home node of the server that served the app, with this app's token, if any. */
  bundled: () => Promise<{ endpoint: string, token: string } | undefined>
  /** This node's addresses others can reach it at (each ending in `/p2p/<id>`): the pins' origins. */
  origins: () => Promise<string[]>
  /** Connects to a service's delegates so it fetches straight from this node (failures are ignored). */
  connect: (delegates: string[]) => Promise<void>
}

const SETTLED = new Set<RemoteState>(['pinned', 'failed', 'refused'])

/**
 * "Keep online": asks pinning services (any that speaks the Pinning Service API, the bundled
 * home node first among them) to keep a local pin, with this node's addresses as origins and
 * a connection to their delegates, so the data goes straight from the browser. Each pin's
 * state per service is kept and checked again until it settles (`check`).
 */
export class KeepOnline {
  private readonly init: KeepOnlineInit

  constructor (init: KeepOnlineInit) {
    this.init = init
  }

  async settings (): Promise<RemoteSettings> {
    return (await this.init.settings.load()) ?? DEFAULT_REMOTE_SETTINGS
  }

  async applySettings (settings: RemoteSettings): Promise<void> {
    await this.init.settings.save(settings)
  }

  /** Every service: the bundled home node (when there is one), then the user's. */
  async services (): Promise<ServiceView[]> {
    const bundled = await this.init.bundled()
    const own = (await this.settings()).services.map(s => ({ id: s.id, name: s.name, endpoint: s.endpoint, bundled: false }))
    return [...(bundled === undefined ? [] : [{ id: BUNDLED_SERVICE_ID, name: 'Home node (the relay that served this app)', endpoint: bundled.endpoint, bundled: true }]), ...own]
  }

  private async service (id: string): Promise<RemoteService> {
    if (id === BUNDLED_SERVICE_ID) {
      const bundled = await this.init.bundled()
      if (bundled === undefined) throw new InvalidRemoteSettingError('this app was not served with a home node')
      return { id, name: 'home node', ...bundled }
    }
    const found = (await this.settings()).services.find(s => s.id === id)
    if (found === undefined) throw new InvalidRemoteSettingError(`no pinning service with id "${id}"`)
    return found
  }

  /** Whether a service (saved, or given whole before saving) answers with this token: a `GET /pins?limit=1`. */
  async test (service: string | Pick<RemoteService, 'endpoint' | 'token'>): Promise<{ count: number }> {
    const { endpoint, token } = typeof service === 'string' ? await this.service(service) : service
    return new PinningClient(endpoint, token).check()
  }

  /** Where a pin is kept online (none: nowhere yet). */
  async status (cid: string): Promise<RemotePinRecord | undefined> {
    return this.init.store.get(cid)
  }

  /** Every pin kept online somewhere. */
  async list (): Promise<RemotePinRecord[]> {
    return this.init.store.list()
  }

  /**
   * Asks each service to keep `cid` (again, for one that failed or refused: its old request
   * is removed first). Answers once each was asked; the services fetch after that.
   */
  async keep (cid: string, name: string, serviceIds: string[]): Promise<RemotePinRecord> {
    const record = (await this.init.store.get(cid)) ?? { cid, name, services: {} }
    record.name = name
    const origins = (await this.init.origins().catch(() => [])).slice(0, 20)
    await Promise.all(serviceIds.map(async id => {
      const service = await this.service(id)
      const client = new PinningClient(service.endpoint, service.token)
      const old = record.services[id]
      if (old?.requestid !== undefined && old.state !== 'failed') return
      if (old?.requestid !== undefined) await client.remove(old.requestid).catch(() => {})
      record.services[id] = await this.ask(client, { cid, name, ...(origins.length === 0 ? {} : { origins }) })
    }))
    await this.init.store.put(record)
    return record
  }

  private async ask (client: PinningClient, pin: { cid: string, name: string, origins?: string[] }): Promise<RemotePinAtService> {
    try {
      const status = await client.add(pin)
      void this.init.connect(status.delegates).catch(() => {})
      return this.stateOf(status)
    } catch (err) {
      return this.problemOf(err)
    }
  }

  private stateOf (status: RemotePinStatus): RemotePinAtService {
    const details = status.info?.status_details
    return { state: status.status, requestid: status.requestid, ...(details === undefined ? {} : { details }), checkedAt: Date.now() }
  }

  private problemOf (err: unknown): RemotePinAtService {
    if (err instanceof PinningServiceUnreachableError) return { state: 'unsent', details: err.message, checkedAt: Date.now() }
    if (err instanceof PinningServiceError) return { state: 'refused', details: err.message, checkedAt: Date.now() }
    throw err
  }

  /** Keeps a new add or import online on the services chosen for new pins, if any. */
  async keepNew (cid: string, name: string): Promise<void> {
    const { keepNew } = await this.settings()
    const available = new Set((await this.services()).map(s => s.id))
    const ids = keepNew.filter(id => available.has(id))
    if (ids.length > 0) await this.keep(cid, name, ids)
  }

  /**
   * Stops keeping `cid` online on these services (all when absent): each is asked to remove
   * it. A service that cannot be reached keeps its entry, marked, so the removal can be retried.
   */
  async forget (cid: string, serviceIds?: string[]): Promise<RemotePinRecord | undefined> {
    const record = await this.init.store.get(cid)
    if (record === undefined) return undefined
    const problems: string[] = []
    for (const id of serviceIds ?? Object.keys(record.services)) {
      const at = record.services[id]
      if (at === undefined) continue
      try {
        if (at.requestid !== undefined) await new PinningClient(...await this.credentials(id)).remove(at.requestid)
        delete record.services[id]
      } catch (err) {
        if (err instanceof PinningServiceError && err.status === 404) delete record.services[id]
        else problems.push(`${id}: ${(err as Error).message}`)
      }
    }
    if (Object.keys(record.services).length === 0) await this.init.store.delete(cid)
    else await this.init.store.put(record)
    if (problems.length > 0) throw new InvalidRemoteSettingError(`could not remove it everywhere: ${problems.join('; ')}`)
    return Object.keys(record.services).length === 0 ? undefined : record
  }

  private async credentials (id: string): Promise<[string, string]> {
    const { endpoint, token } = await this.service(id)
    return [endpoint, token]
  }

  /**
   * Asks again where pins stand that have not settled (`cid`: that pin only): queued and
   * pinning ones are looked up, unsent ones sent. Returns the records it looked at.
   */
  async check (cid?: string): Promise<RemotePinRecord[]> {
    const records = cid === undefined ? await this.init.store.list() : [await this.init.store.get(cid)].filter(r => r !== undefined)
    const checked: RemotePinRecord[] = []
    for (const record of records) {
      const open = Object.entries(record.services).filter(([, at]) => !SETTLED.has(at.state))
      if (open.length === 0) {
        checked.push(record)
        continue
      }
      const origins = (await this.init.origins().catch(() => [])).slice(0, 20)
      await Promise.all(open.map(async ([id, at]) => {
        let client: PinningClient
        try {
          client = new PinningClient(...await this.credentials(id))
        } catch (err) {
          record.services[id] = { state: 'refused', details: (err as Error).message, checkedAt: Date.now() }
          return
        }
        if (at.requestid === undefined) {
          record.services[id] = await this.ask(client, { cid: record.cid, name: record.name, ...(origins.length === 0 ? {} : { origins }) })
          return
        }
        try {
          const status = await client.get(at.requestid)
          // Still fetching: make sure it can reach this node.
          if (status.status === 'queued' || status.status === 'pinning') void this.init.connect(status.delegates).catch(() => {})
          record.services[id] = this.stateOf(status)
        } catch (err) {
          if (err instanceof PinningServiceUnreachableError) record.services[id] = { ...at, checkedAt: Date.now() }
          else record.services[id] = this.problemOf(err)
        }
      }))
      await this.init.store.put(record)
      checked.push(record)
    }
    return checked
  }
}

/** Remote pin states in memory: for tests. */
export class MemoryRemotePinStore implements RemotePinStore {
  private readonly records = new Map<string, RemotePinRecord>()
  async get (cid: string): Promise<RemotePinRecord | undefined> { return structuredClone(this.records.get(cid)) }
  async put (record: RemotePinRecord): Promise<void> { this.records.set(record.cid, structuredClone(record)) }
  async delete (cid: string): Promise<void> { this.records.delete(cid) }
  async list (): Promise<RemotePinRecord[]> { return [...this.records.values()].map(r => structuredClone(r)) }
}
