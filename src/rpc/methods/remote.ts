import type { RemotePinRecord, ServiceView } from '../../remote/keep-online.ts'
import { checkRemoteSettings, type RemoteSettings } from '../../remote/services.ts'
import { InvalidParamsError } from '../errors.ts'
import { fields, method, none, text } from '../method.ts'

/** What the settings page shows: every service (the bundled home node included) and the saved settings. */
export interface RemoteView {
  services: ServiceView[]
  settings: RemoteSettings
}

function serviceIds (value: unknown, name: string, required: boolean): string[] | undefined {
  if (value === undefined && !required) return undefined
  if (!Array.isArray(value) || value.length === 0 || value.some(v => typeof v !== 'string')) throw new InvalidParamsError(`${name} takes "services" as a list of service ids`)
  return value as string[]
}

/** Keeping pins online on pinning services ("Keep online"). */
export const remoteMethods = {
  /** The pinning services and the saved settings (tokens included: the page edits them). */
  'remote.services': method<Record<string, never>, RemoteView>({ idempotent: true, params: none('remote.services') }),
  /** Saves the user's services and the ones new pins are kept online on. */
  'remote.setSettings': method<RemoteSettings, RemoteView>({ idempotent: true, params: checkRemoteSettings }),
  /** Asks a service (by id, or an endpoint and token not saved yet) for one pin: whether it works. */
  'remote.test': method<{ id: string } | { endpoint: string, token: string }, { count: number }>({
    idempotent: true,
    params: value => {
      const p = fields(value, 'remote.test')
      if (p.id !== undefined) return { id: text(p, 'id', 'remote.test') }
      return { endpoint: text(p, 'endpoint', 'remote.test'), token: text(p, 'token', 'remote.test') }
    }
  }),
  /** Asks services to keep a pin; answers once each was asked. Again for a failed one: a retry. */
  'remote.keep': method<{ cid: string, services: string[] }, RemotePinRecord>({
    idempotent: true,
    params: value => {
      const p = fields(value, 'remote.keep')
      return { cid: text(p, 'cid', 'remote.keep'), services: serviceIds(p.services, 'remote.keep', true) as string[] }
    }
  }),
  /** Asks services (all when none are named) to stop keeping a pin. */
  'remote.forget': method<{ cid: string, services?: string[] }, RemotePinRecord | null>({
    idempotent: true,
    params: value => {
      const p = fields(value, 'remote.forget')
      const services = serviceIds(p.services, 'remote.forget', false)
      return { cid: text(p, 'cid', 'remote.forget'), ...(services === undefined ? {} : { services }) }
    }
  }),
  /** Where a pin is kept online; with `check`, the services are asked again first. */
  'remote.status': method<{ cid: string, check?: boolean }, RemotePinRecord | null>({
    idempotent: true,
    params: value => {
      const p = fields(value, 'remote.status')
      if (p.check !== undefined && typeof p.check !== 'boolean') throw new InvalidParamsError('remote.status takes "check" as true or false')
      return { cid: text(p, 'cid', 'remote.status'), ...(p.check === true ? { check: true } : {}) }
    }
  })
}
