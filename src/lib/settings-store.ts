/** Where one group of settings is kept: IndexedDB in the app (`storage/`), memory in tests. */
export interface SettingsStore<T> {
  load(): Promise<T | undefined>
  save(settings: T): Promise<void>
}

/** Keeps settings in memory: for tests. */
export class MemorySettingsStore<T> implements SettingsStore<T> {
  private settings: T | undefined
  async load (): Promise<T | undefined> { return this.settings === undefined ? undefined : structuredClone(this.settings) }
  async save (settings: T): Promise<void> { this.settings = structuredClone(settings) }
}
