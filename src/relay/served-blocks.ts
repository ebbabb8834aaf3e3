import { NotFoundError } from 'interface-store'
import type { CID } from 'multiformats/cid'

/** Something that holds blocks the relay serves. */
export interface BlockHolder {
  has: (cid: CID) => Promise<boolean>
  getBytes: (cid: CID) => Promise<Uint8Array>
}

/**
 * The blocks the relay serves over its one Bitswap: those of every holder added (the room
 * archive's, the home node's pins), asked in the order they were added.
 */
export class ServedBlocks implements BlockHolder {
  private readonly holders: BlockHolder[] = []

  add (holder: BlockHolder): void {
    this.holders.push(holder)
  }

  async has (cid: CID): Promise<boolean> {
    for (const holder of this.holders) if (await holder.has(cid)) return true
    return false
  }

  async getBytes (cid: CID): Promise<Uint8Array> {
    for (const holder of this.holders) if (await holder.has(cid)) return holder.getBytes(cid)
    throw new NotFoundError(`block ${cid} is not served here`)
  }
}
