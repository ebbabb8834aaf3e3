import type { AddProgress, AddSummary } from '../../add/add-files.ts'
import type { UnixfsProfile } from '../../hotpath/index.ts'
import { InvalidParamsError } from '../errors.ts'
import { fields, method, text } from '../method.ts'

/** Parameters of `unixfs.add`. */
export interface UnixfsAddParams {
  /** Files by path (folders separated by `/`); an entry without a file is a folder. */
  entries: Array<{ path: string, file?: Blob }>
  profile?: UnixfsProfile
  /** Wrap in a directory (keeps the names); by default when more than one thing is given. */
  wrap?: boolean
  /** The pin's name; by default the one top-level name, or "N files". */
  name?: string
}

const PROFILES: readonly string[] = ['unixfs-v0-2015', 'unixfs-v1-2025']

/** Adding files and folders as UnixFS. */
export const unixfsMethods = {
  /**
   * Adds files and folders, all or nothing, with progress; pins the root (origin "added").
   * Not sent again after a timeout: one cut short is rolled back when the node restarts.
   */
  'unixfs.add': method<UnixfsAddParams, AddSummary, AddProgress>({
    idempotent: false,
    params: value => {
      const p = fields(value, 'unixfs.add')
      if (!Array.isArray(p.entries) || p.entries.length === 0) throw new InvalidParamsError('unixfs.add needs "entries": a non-empty list of { path, file? }')
      const entries = p.entries.map((entry: unknown, i) => {
        const e = fields(entry, 'unixfs.add')
        if (typeof e.path !== 'string') throw new InvalidParamsError(`unixfs.add: entry ${i} needs "path" as text`)
        if (e.file !== undefined && !(e.file instanceof Blob)) throw new InvalidParamsError(`unixfs.add: entry ${i} has a "file" that is not a file (a Blob)`)
        return e.file === undefined ? { path: e.path } : { path: e.path, file: e.file }
      })
      const out: UnixfsAddParams = { entries }
      if (p.profile !== undefined) {
        if (typeof p.profile !== 'string' || !PROFILES.includes(p.profile)) throw new InvalidParamsError(`unixfs.add takes "profile" as ${PROFILES.join(' or ')}`)
        out.profile = p.profile as UnixfsProfile
      }
      if (p.wrap !== undefined) {
        if (typeof p.wrap !== 'boolean') throw new InvalidParamsError('unixfs.add takes "wrap" as true or false')
        out.wrap = p.wrap
      }
      if (p.name !== undefined) {
        if (typeof p.name !== 'string' || p.name.trim() === '' || p.name.length > 255) throw new InvalidParamsError('unixfs.add takes "name" as a non-empty string of at most 255 characters')
        out.name = p.name.trim()
      }
      return out
    }
  }),
  /** The files shared to Cairn (Web Share Target) under this id, once. */
  'share.take': method<{ id: string }, { entries: Array<{ path: string, file: File }> }>({
    idempotent: false,
    params: value => ({ id: text(fields(value, 'share.take'), 'id', 'share.take') })
  })
}
