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
 * Turns a quota error into a `StorageFullError` that says what was being written (`bytes` of
 * it) and how full the storage is, from `navigator.storage.estimate` where the runtime has it.
 * When the estimate says there is room for the write, the browser's real limit is lower than
 * it reports (the device's disk is nearly full, or a policy caps it), and the message says so.
 */
export async function storageFull (what: string, bytes: number, cause: unknown): Promise<StorageFullError> {
  const subject = `${what} (${formatBytes(bytes)})`
  let estimate: StorageEstimate | undefined
  try {
    estimate = await globalThis.navigator?.storage?.estimate?.()
  } catch {
    // No estimate: the message goes without the numbers.
  }
  if (estimate?.quota === undefined) return new StorageFullError(`the browser's storage for Cairn is full: ${subject} could not be stored`, { cause })
  const used = estimate.usage ?? 0
  const left = Math.max(0, estimate.quota - used)
  const numbers = `${formatBytes(used)} used of the ${formatBytes(estimate.quota)} the browser allows`
  if (left > bytes) {
    return new StorageFullError(`the browser refused to store ${subject} although it reports ${formatBytes(left)} left (${numbers}): the device's disk is probably nearly full`, { cause })
  }
  return new StorageFullError(`the browser's storage for Cairn is full (${numbers}; ${formatBytes(left)} left): ${subject} could not be stored`, { cause })
}
