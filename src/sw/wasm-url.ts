/// <reference lib="webworker" />
/**
 * The Service Worker's `hotpath/wasm-url.ts` (its build swaps this file in): the hot path
 * module is the app's own precached asset, found by name at build time, instead of a `data:`
 * URL inlined into the worker's script (a quarter of it), which every start of the worker
 * would read and decode. `precachedHotpath` loads it from the precache, offline included.
 */
import { matchPrecache } from 'workbox-precaching'

declare const self: ServiceWorkerGlobalScope
/** The app's hashed asset path of the hot path module (relative to the worker), defined by the build. */
declare const __CAIRN_HOTPATH_ASSET__: string

/** The hot path module's URL: the app's precached asset. */
export const wasmUrl: URL = new URL(__CAIRN_HOTPATH_ASSET__, self.location.href)

/** The hot path module from the precache (as the worker was installed with it), or the network if it is missing. */
export async function precachedHotpath (): Promise<Response> {
  return (await matchPrecache(wasmUrl.href)) ?? fetch(wasmUrl)
}
