import type { BlockstoreStat } from '../../content/blockstore/base-blockstore.ts'
import type { CacheEntry } from '../../library/cache-index.ts'
import type { GcProgress, GcSummary, PinStatus } from '../../library/library.ts'
import type { MarkResult } from '../../library/mark.ts'
import type { PinRecord, PinType } from '../../library/pins.ts'
import { checkLibrarySettings, type LibrarySettings } from '../../library/settings.ts'
import { InvalidParamsError } from '../errors.ts'
import { fields, method, none, text } from '../method.ts'

const cidParam = (name: string) => (value: unknown): { cid: string } => ({ cid: text(fields(value, name), 'cid', name) })

/** Pins (Kubo's meaning) and garbage collection. */
export const libraryMethods = {
  /** Pins a CID, recursively by default, under an optional name. Pinning again is harmless. */
  'pin.add': method<{ cid: string, type?: PinType, name?: string }, PinRecord>({
    idempotent: true,
    params: value => {
      const p = fields(value, 'pin.add')
      const out: { cid: string, type?: PinType, name?: string } = { cid: text(p, 'cid', 'pin.add') }
      if (p.type !== undefined) {
        if (p.type !== 'recursive' && p.type !== 'direct') throw new InvalidParamsError('pin.add takes "type" as recursive or direct')
        out.type = p.type
      }
      if (p.name !== undefined) {
        if (typeof p.name !== 'string' || p.name.trim() === '' || p.name.length > 255) throw new InvalidParamsError('pin.add takes "name" as a non-empty string of at most 255 characters')
        out.name = p.name.trim()
      }
      return out
    }
  }),
  /** Removes a pin; its blocks stay until the next collection. */
  'pin.rm': method<{ cid: string }, Record<string, never>>({ idempotent: false, params: cidParam('pin.rm') }),
  /** The newest `limit` pins and how many there are (the Library's first page). */
  'pin.page': method<{ limit: number }, { pins: PinRecord[], total: number }>({
    idempotent: true,
    params: value => {
      const limit = fields(value, 'pin.page').limit
      if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new InvalidParamsError('pin.page takes "limit" as a whole number from 1 to 10000')
      return { limit }
    }
  }),
  /** Every pin, newest first. */
  'pin.ls': method<Record<string, never>, PinRecord[]>({ idempotent: true, params: none('pin.ls') }),
  /** A pin and what is stored of its DAG. */
  'pin.status': method<{ cid: string }, PinStatus>({ idempotent: true, params: cidParam('pin.status') }),
  /** Moves a recursive pin from one root to another (Kubo's `pin update`). */
  'pin.update': method<{ from: string, to: string }, PinRecord>({
    idempotent: true,
    params: value => {
      const p = fields(value, 'pin.update')
      return { from: text(p, 'from', 'pin.update'), to: text(p, 'to', 'pin.update') }
    }
  }),
  /** Content opened that is not pinned, most recently used first ("recently viewed"). */
  'cache.ls': method<Record<string, never>, CacheEntry[]>({ idempotent: true, params: none('cache.ls') }),
  /** Removes opened content: its blocks that no pin and no other opened content reaches. */
  'cache.rm': method<{ cid: string }, BlockstoreStat>({ idempotent: true, params: cidParam('cache.rm') }),
  /** What of the DAG under a CID is stored. */
  'dag.stat': method<{ cid: string }, MarkResult & { complete: boolean }>({ idempotent: true, params: cidParam('dag.stat') }),
  /** The cache budget: a share of the quota that stored blocks may take before opened content is evicted. */
  'library.settings': method<Record<string, never>, LibrarySettings>({ idempotent: true, params: none('library.settings') }),
  /** Saves the cache budget and applies it at once (evicting if stored blocks are over it). */
  'library.setSettings': method<LibrarySettings, LibrarySettings>({ idempotent: true, params: checkLibrarySettings }),
  /** Deletes every block no pin reaches, with progress. */
  'repo.gc': method<Record<string, never>, GcSummary, GcProgress>({ idempotent: false, params: none('repo.gc') }),
  /**
   * Pins what a name (`/ipns/<name>`, a `k51…` key or a domain) points at and follows it: the
   * pin moves when the name does, once the new version is stored. Answers once pinned; the
   * content is fetched after that.
   */
  'pin.follow': method<{ name: string, label?: string }, PinRecord>({
    idempotent: true,
    params: value => {
      const p = fields(value, 'pin.follow')
      const name = text(p, 'name', 'pin.follow').trim().replace(/^(\/ipns\/|ipns:\/\/)/i, '').replace(/\/+$/, '')
      if (p.label !== undefined && (typeof p.label !== 'string' || p.label.trim() === '')) throw new InvalidParamsError('pin.follow takes "label" as a non-empty string')
      return { name, ...(typeof p.label === 'string' ? { label: p.label.trim() } : {}) }
    }
  }),
  /** Resolves every followed name now and moves the pins of those that moved. */
  'pin.checkNames': method<Record<string, never>, Record<string, never>>({ idempotent: true, params: none('pin.checkNames') })
}
