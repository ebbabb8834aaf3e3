import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomically } from './atomic-file.ts'
import { InvalidIpnsRecordError } from '../../names/errors.ts'
import { betterRecord, readIpnsRecord, type IpnsRecordInfo } from '../../names/ipns-record.ts'
import type { IpnsKeyName } from '../../names/name.ts'

/**
 * The IPNS records the home node keeps for its users (`PUT /routing/v1/ipns/{name}`), one
 * file per name, each checked as any Cairn node checks a record. A record replaces the kept
 * one only when it is better (higher sequence, then later EOL); expired ones are not served.
 */
export class NameRecords {
  private readonly dir: string
  private readonly records = new Map<string, IpnsRecordInfo>()
  private readonly names = new Map<string, IpnsKeyName>()
  /** Called with each record that becomes the kept one. */
  onKept?: (name: IpnsKeyName, record: IpnsRecordInfo) => void

  constructor (dir: string) {
    this.dir = dir
  }

  /** Every kept record that has not expired, with its name. */
  all (): Array<{ name: IpnsKeyName, record: IpnsRecordInfo }> {
    return [...this.names.values()].flatMap(name => {
      const record = this.get(name)
      return record === undefined ? [] : [{ name, record }]
    })
  }

  /** Reads back what an earlier run kept (a file that no longer checks is skipped). */
  async load (parse: (name: string) => IpnsKeyName, onBad: (file: string, reason: string) => void): Promise<void> {
    const files = await readdir(this.dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return []
      throw err
    })
    for (const file of files) {
      if (!file.endsWith('.ipns-record')) continue
      const name = file.slice(0, -'.ipns-record'.length)
      try {
        const parsed = parse(name)
        this.records.set(name, await readIpnsRecord(parsed, await readFile(join(this.dir, file))))
        this.names.set(name, parsed)
      } catch (err) {
        onBad(file, (err as Error).message)
      }
    }
  }

  /** How many names are kept. */
  get size (): number {
    return this.records.size
  }

  /** The kept record for a name, unless it has expired. */
  get (name: IpnsKeyName): IpnsRecordInfo | undefined {
    const kept = this.records.get(name.name)
    return kept !== undefined && kept.validUntil > Date.now() ? kept : undefined
  }

  /**
   * Checks and keeps a record. Throws `InvalidIpnsRecordError` when it does not check, or
   * when it is older than the kept one ("rolled-back").
   */
  async put (name: IpnsKeyName, bytes: Uint8Array): Promise<IpnsRecordInfo> {
    const info = await readIpnsRecord(name, bytes)
    const kept = this.get(name)
    if (kept !== undefined && !betterRecord(info, kept) && info.sequence !== kept.sequence) {
      throw new InvalidIpnsRecordError('rolled-back', `sequence ${info.sequence} is older than the kept record's ${kept.sequence}`)
    }
    if (kept === undefined || betterRecord(info, kept)) {
      this.records.set(name.name, info)
      this.names.set(name.name, name)
      await writeFileAtomically(join(this.dir, `${name.name}.ipns-record`), bytes)
      this.onKept?.(name, info)
    }
    return this.records.get(name.name) as IpnsRecordInfo
  }
}
