import { formatBytes } from '../lib/format-bytes.ts'

/**
 * A write did not fit in the browser's storage quota. IndexedDB rolled the transaction back,
 * so nothing of it is stored; the message says how full the storage is.
 */
export class StorageFullError extends Error {
  override name = 'StorageFullError'
}

/** True for the error a browser raises when a write exceeds the quota. */
export function isQuotaExceeded (err: unknown): boolean {
  return (err as { name?: unknown } | null)?.name === 'QuotaExceededError'
}

/**
 * Turns a quota error into a `StorageFullError` that says what was being written and how full
 * the storage is (from `navigator.storage.estimate`, where the runtime has it).
 */
export async function storageFull (what: string, cause: unknown): Promise<StorageFullError> {
  let usage = ''
  try {
    const estimate = await globalThis.navigator?.storage?.estimate?.()
    if (estimate?.quota !== undefined) {
      usage = ` (${formatBytes(estimate.usage ?? 0)} used of the ${formatBytes(estimate.quota)} the browser allows; ${formatBytes(Math.max(0, estimate.quota - (estimate.usage ?? 0)))} left)`
    }
  } catch {
    // No estimate: the message goes without the numbers.
  }
  return new StorageFullError(`the browser's storage for Cairn is full${usage}: ${what} could not be stored`, { cause })
}
