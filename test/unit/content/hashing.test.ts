import { describe, expect, it } from 'vitest'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'

describe('block verification', () => {
  it('verifies every hash the CAR reader verifies: sha2-256, sha2-512, blake3, identity', async () => {
    const { verifyBlock } = await import('../../../src/content/hashing.ts')
    const { sha512 } = await import('multiformats/hashes/sha2')
    const { identity } = await import('multiformats/hashes/identity')
    const { blake3Hasher } = await import('../../../src/hotpath/index.ts')
    const bytes = new TextEncoder().encode('a block')
    for (const hasher of [sha256, sha512, blake3Hasher, identity]) {
      const cid = CID.createV1(0x55, await hasher.digest(bytes))
      await expect(verifyBlock(cid, bytes)).resolves.toBeUndefined()
      await expect(verifyBlock(cid, new TextEncoder().encode('another'))).rejects.toMatchObject({ name: 'BlockHashMismatchError' })
    }
  })
})
