import { describe, expect, it, vi } from 'vitest'
import { isQuotaExceeded, storageFull, StorageFullError } from '../../../src/storage/storage-full.ts'

describe('StorageFullError', () => {
  it('recognises the browser\'s quota error and says how full the storage is', async () => {
    expect(isQuotaExceeded(new DOMException('over', 'QuotaExceededError'))).toBe(true)
    expect(isQuotaExceeded(new Error('other'))).toBe(false)
    vi.stubGlobal('navigator', { storage: { estimate: async () => ({ quota: 10 * 1024 * 1024, usage: 9.5 * 1024 * 1024 }) } })
    try {
      const error = await storageFull('3 blocks', 3145728, new DOMException('over', 'QuotaExceededError'))
      expect(error).toBeInstanceOf(StorageFullError)
      expect(error.message).toBe("the browser's storage for Cairn is full (9.5 MiB used of the 10 MiB the browser allows; 512 KiB left): 3 blocks (3.0 MiB) could not be stored")
      const roomy = await storageFull('a block', 1024, new DOMException('over', 'QuotaExceededError'))
      expect(roomy.message).toBe("the browser refused to store a block (1.0 KiB) although it reports 512 KiB left (9.5 MiB used of the 10 MiB the browser allows): the device's disk is probably nearly full")
    } finally {
      vi.unstubAllGlobals()
    }
    const bare = await storageFull('a block', 10, undefined)
    expect(bare.message).toBe("the browser's storage for Cairn is full: a block (10 B) could not be stored")
  })
})
