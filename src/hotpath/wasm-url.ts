/** Where the bundled hot path module is served from (hashed by Vite at build time). */
export const wasmUrl: URL = new URL('../../wasm/cairn_hotpath.wasm', import.meta.url)
