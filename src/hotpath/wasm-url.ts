/**
 * Where the hot path module is loaded from. `new URL(…, import.meta.url)` is understood by
 * Vite and by Node.js alike: in page bundles Vite emits the module as a content-hashed asset;
 * in the site's worker (a classic script built in library mode) Vite inlines it as a `data:`
 * URL; under plain Node.js it is the file next to the sources. The app's Service Worker is
 * built with `src/sw/wasm-url.ts` in this file's place (the app's precached asset).
 */
export const wasmUrl: URL = new URL('../../wasm/cairn_hotpath.wasm', import.meta.url)
