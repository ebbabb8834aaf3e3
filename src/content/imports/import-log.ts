/** A CAR import: running until it commits or is rolled back. */
export interface ImportRecord {
  id: string
  /** The file name the user picked, for display. */
  name: string
  state: 'running' | 'done'
  /** What was imported: a CAR (absent, as in records before additions existed) or added files. */
  kind?: 'files'
  /** Root CIDs (text), known once the header is read. */
  roots: string[]
  blocks: number
  bytes: number
  /** Blocks this import added that were not stored before. */
  newBlocks: number
  startedAt: number
  finishedAt?: number
}

/** The record of CAR imports: which are running, which are done. */
export interface ImportLog {
  save(record: ImportRecord): Promise<void>
  remove(id: string): Promise<void>
  /** Every import, newest first. */
  list(): Promise<ImportRecord[]>
}

/** Keeps the import log in memory: for tests and Node.js tools. */
export class MemoryImportLog implements ImportLog {
  private readonly records = new Map<string, ImportRecord>()
  async save (record: ImportRecord): Promise<void> { this.records.set(record.id, structuredClone(record)) }
  async remove (id: string): Promise<void> { this.records.delete(id) }
  async list (): Promise<ImportRecord[]> { return [...this.records.values()].sort((a, b) => b.startedAt - a.startedAt) }
}
