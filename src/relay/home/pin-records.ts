import { randomUUID } from 'node:crypto'
import { readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomically } from './atomic-file.ts'

/** The statuses of the Pinning Service API. */
export const PIN_STATUSES = ['queued', 'pinning', 'pinned', 'failed'] as const
export type PinStatusName = typeof PIN_STATUSES[number]

/** What a client asks to keep (the API's `Pin` object). */
export interface PinRequest {
  cid: string
  name?: string
  /** Where the client has the data (multiaddrs ending in `/p2p/<id>`). */
  origins?: string[]
  meta?: Record<string, string>
}

/** One pin as the home node keeps it. */
export interface PinRecord {
  requestid: string
  /** The id of the token that made it: only that token sees it. */
  owner: string
  status: PinStatusName
  /** RFC 3339, unique across the node (the API pages by it). */
  created: string
  pin: PinRequest
  /** `status_details` (why it failed, how far it got), `dag_size` once pinned. */
  info: Record<string, string>
  /** Bytes of the pin's DAG fetched so far (all of it once pinned): what it counts against its quota. */
  bytes: number
}

/**
 * The home node's pins, one JSON file each in a folder (written whole through a rename, so a
 * crash never leaves half a record), all held in memory for listing: 10 000 pins are a few MB.
 */
export class PinRecords {
  private readonly dir: string
  private readonly records = new Map<string, PinRecord>()
  private lastCreated = 0
  /** `all()`'s order, kept until a record comes or goes (`created` never changes). */
  private newestFirst: PinRecord[] | undefined

  constructor (dir: string) {
    this.dir = dir
  }

  /** Reads every record back; a file that is not one is reported and skipped. */
  async load (onBad: (file: string, reason: string) => void): Promise<void> {
    const files = await readdir(this.dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return []
      throw err
    })
    for (const file of files) {
      if (!file.endsWith('.json')) continue
      try {
        const record = JSON.parse(await readFile(join(this.dir, file), 'utf8')) as PinRecord
        if (typeof record.requestid !== 'string' || !PIN_STATUSES.includes(record.status)) throw new Error('not a pin record')
        this.records.set(record.requestid, record)
        this.newestFirst = undefined
        this.lastCreated = Math.max(this.lastCreated, Date.parse(record.created))
      } catch (err) {
        onBad(file, (err as Error).message)
      }
    }
  }

  /** Every record, newest first (a new array each time; the records are the kept ones). */
  all (): PinRecord[] {
    this.newestFirst ??= [...this.records.values()].sort((a, b) => b.created.localeCompare(a.created))
    return [...this.newestFirst]
  }

  get (requestid: string): PinRecord | undefined {
    return this.records.get(requestid)
  }

  /** The records of one token. */
  ownedBy (owner: string): PinRecord[] {
    return this.all().filter(r => r.owner === owner)
  }

  /** A new queued record (its `created` a millisecond after the last one at least). */
  async create (owner: string, pin: PinRequest): Promise<PinRecord> {
    const now = Math.max(Date.now(), this.lastCreated + 1)
    this.lastCreated = now
    const record: PinRecord = { requestid: randomUUID(), owner, status: 'queued', created: new Date(now).toISOString(), pin, info: {}, bytes: 0 }
    await this.save(record)
    return record
  }

  /** Writes a record (new or changed). */
  async save (record: PinRecord): Promise<void> {
    if (this.records.get(record.requestid) !== record) this.newestFirst = undefined
    this.records.set(record.requestid, record)
    await writeFileAtomically(join(this.dir, `${record.requestid}.json`), JSON.stringify(record))
  }

  async remove (requestid: string): Promise<void> {
    this.records.delete(requestid)
    this.newestFirst = undefined
    await rm(join(this.dir, `${requestid}.json`), { force: true })
  }
}
