/** How one routing endpoint or DNS resolver has answered for names since the worker started. */
export interface NameSourceCounts {
  url: string
  /** Usable answers it gave. */
  served: number
  /** Answers refused: records that do not verify, rolled back or expired; DNSLink values that are not paths. */
  invalid: number
  /** Lookups it failed, could not be reached for, or had no answer to. */
  failed: number
}

/** The counts of every source, by URL. */
export class SourceCounter {
  private readonly counts = new Map<string, NameSourceCounts>()

  /** Counts one answer of `url`. */
  add (url: string, outcome: 'served' | 'invalid' | 'failed'): void {
    const counts = this.counts.get(url) ?? { url, served: 0, invalid: 0, failed: 0 }
    counts[outcome]++
    this.counts.set(url, counts)
  }

  /** A copy of every source's counts. */
  list (): NameSourceCounts[] {
    return [...this.counts.values()].map(c => ({ ...c }))
  }
}
