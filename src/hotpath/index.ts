/**
 * The typed face of Cairn's WebAssembly hot path. Works in the page, the Service Worker and
 * Node.js. Call (and await) `ready()` once; every other function is synchronous and takes
 * and returns bytes or text.
 *
 * @example
 * ```ts
 * await ready()
 * const block = dagJsonToDagCbor('{"hello":"world"}')
 * dagCborToDagJson(block) // '{"hello":"world"}'
 * ```
 */
import { load, type WasmSource } from './module.ts'
import { wasmUrl } from './wasm-url.ts'

export * from './errors.ts'
export * from './digests.ts'
export * from './codecs.ts'
export * from './car.ts'
export { cidFromValidBytes } from './cid-bytes.ts'
export * from './unixfs.ts'
export { sha256Hasher, blake3Hasher, SUBTLE_SHA256_THRESHOLD } from './hashers.ts'
export type { WasmSource } from './module.ts'
export { memoryBytes, MEMORY_RENEW_BYTES } from './module.ts'

/**
 * Loads the WebAssembly module. Without a source it fetches the module bundled with the app,
 * or under Node.js reads it from the file beside the sources; a caller may also pass the
 * module's bytes.
 */
export async function ready (source?: WasmSource): Promise<void> {
  await load(() => source ?? bundledModule())
}

function bundledModule (): WasmSource {
  if (wasmUrl.protocol === 'file:') {
    // Node.js: `fetch` does not read files. Asked for at run time, so no bundle sees `node:fs`.
    const fs = (globalThis as { process?: { getBuiltinModule?: (id: string) => { readFileSync: (url: URL) => Uint8Array<ArrayBuffer> } | undefined } }).process?.getBuiltinModule?.('node:fs')
    if (fs !== undefined) return fs.readFileSync(wasmUrl)
  }
  return fetch(wasmUrl)
}
