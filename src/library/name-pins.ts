import { logger } from '@libp2p/logger'
import type { CID } from 'multiformats/cid'
import type { Library } from './library.ts'
import { pinRoot, type PinRecord } from './pins.ts'

const log = logger('cairn:library:names')

/** What following names needs: the Library, the name resolver and "fetch everything". */
export interface NamePinsComponents {
  library: Library
  /** The content a name points at now (resolving it as the gateway does). */
  resolve: (name: string) => Promise<CID>
  /** Stores a whole DAG; says whether every block is stored now. */
  fetchAll: (root: CID) => Promise<{ complete: boolean, missing: number }>
  now?: () => number
}

/**
 * Pins that follow a name ("keep this site for offline reading"): the name is resolved and
 * what it points at is pinned, under the name's label. While the app runs, `check` resolves
 * each followed name again (its TTL decides how often a source is asked); when the name has
 * moved, the new version is fetched completely first, and only then does the pin move to it
 * (`Library.update`: the new root is pinned before the old one goes) — until then the old
 * version stays pinned and the row says what is pending.
 */
export class NamePins {
  private readonly c: NamePinsComponents
  private readonly now: () => number
  private checking: Promise<void> | undefined
  private readonly fetching = new Set<Promise<void>>()

  constructor (components: NamePinsComponents) {
    this.c = components
    this.now = components.now ?? Date.now
  }

  /**
   * Pins what `name` points at now, following it from then on. Answers once it is pinned;
   * the whole DAG is fetched after that (`settled` waits for it), and a pin that could not be
   * completed says so.
   */
  async follow (name: string, label?: string): Promise<PinRecord> {
    const root = await this.c.resolve(name)
    const record = await this.c.library.pin(root, { name: label ?? name, origin: 'followed', follows: { name, checkedAt: this.now() } })
    const fetching = this.c.fetchAll(root).then(
      fetched => fetched.complete ? undefined : `${fetched.missing} blocks could not be fetched yet`,
      (err: Error) => `fetching it failed: ${err.message}`
    ).then(async problem => {
      if (problem !== undefined) await this.c.library.pin(root, { follows: { name, checkedAt: this.now(), problem } })
    })
    this.fetching.add(fetching)
    void fetching.finally(() => this.fetching.delete(fetching))
    return record
  }

  /** Resolves once every fetch `follow` started has ended. */
  async settled (): Promise<void> {
    await Promise.allSettled([...this.fetching])
  }

  /** Checks every followed name once (one check at a time); moves the pins of names that moved. */
  async check (): Promise<void> {
    this.checking ??= this.checkAll().finally(() => { this.checking = undefined })
    return this.checking
  }

  private async checkAll (): Promise<void> {
    for (const pin of await this.c.library.list()) {
      if (pin.follows === undefined) continue
      await this.checkOne(pin, pin.follows.name).catch(err => { log('checking %s failed: %s', pin.follows?.name, (err as Error).message) })
    }
  }

  private async checkOne (pin: PinRecord, name: string): Promise<void> {
    const old = pinRoot(pin)
    let root: CID
    try {
      root = await this.c.resolve(name)
    } catch (err) {
      await this.c.library.pin(old, { follows: { name, checkedAt: this.now(), problem: `the name could not be resolved: ${(err as Error).message}` } })
      return
    }
    if (root.toV1().equals(old.toV1())) {
      await this.c.library.pin(old, { follows: { name, checkedAt: this.now() } })
      return
    }
    const fetched = await this.c.fetchAll(root).catch(() => ({ complete: false, missing: -1 }))
    if (!fetched.complete) {
      await this.c.library.pin(old, { follows: { name, checkedAt: this.now(), pending: root.toV1().toString(), problem: 'the new version is not completely stored yet; the old one stays until it is' } })
      return
    }
    await this.c.library.update(old, root)
    await this.c.library.pin(root, { follows: { name, checkedAt: this.now() } })
    log('%s moved: %s → %s', name, old, root)
  }
}
