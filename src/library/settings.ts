/** How the library keeps opened (unpinned) content, kept in IndexedDB and edited in the Library. */
export interface LibrarySettings {
  /** Share of the storage quota stored blocks may take before opened content is evicted. */
  cacheShare: number
}

/** Half of the quota, before the user chooses. */
export const DEFAULT_LIBRARY_SETTINGS: LibrarySettings = { cacheShare: 0.5 }

/** The shares the Library offers. */
export const CACHE_SHARES = [0.25, 0.5, 0.75, 0.9] as const

/** A library setting that cannot be used. */
export class InvalidLibrarySettingError extends Error {
  override name = 'InvalidLibrarySettingError'
}

/** Checks settings from the UI. */
export function checkLibrarySettings (value: unknown): LibrarySettings {
  const share = (value as { cacheShare?: unknown } | null)?.cacheShare
  if (typeof share !== 'number' || !(share >= 0.05 && share <= 0.95)) throw new InvalidLibrarySettingError('cacheShare must be a number from 0.05 to 0.95')
  return { cacheShare: share }
}
