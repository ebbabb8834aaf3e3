import wasmHref from '../../wasm/cairn_hotpath.wasm?url'

/**
 * Where the hot path module is loaded from. In page bundles Vite emits it as a content-hashed
 * asset. The Service Worker is a classic script built in library mode, where Vite inlines it as
 * a `data:` URL: the SW then carries its hot path with it and needs no cache or network to
 * start, offline included.
 */
export const wasmUrl: URL = new URL(wasmHref, globalThis.location?.href ?? 'file:///')
