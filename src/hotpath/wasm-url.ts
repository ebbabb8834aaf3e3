/**
 * Where the hot path module is loaded from. `new URL(…, import.meta.url)` is understood by
 * Vite and by Node.js alike: in page bundles Vite emits the module as a content-hashed asset;
 * the Service Worker is a classic script built in library mode, where Vite inlines it as a
 * `data:` URL, so the worker carries its hot path with it and needs no cache or network to
 * start, offline included; under plain Node.js it is the file next to the sources.
 */
export const wasmUrl: URL = new URL('../../wasm/cairn_hotpath.wasm', import.meta.url)
