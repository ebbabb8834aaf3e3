import { errorForCode, HotpathNotReadyError } from './errors.ts'

/** The functions the Rust crate exports; see `wasm/src/lib.rs` for the call protocol. */
interface Exports {
  memory: WebAssembly.Memory
  alloc(len: number): number
  free(ptr: number, len: number): void
  result_ptr(): number
  result_len(): number
  error_offset(): number
  sha256_digest(ptr: number, len: number, out: number): number
  blake3_digest(ptr: number, len: number, out: number): number
  sha256_many(data: number, lens: number, count: number, out: number): number
  blake3_many(data: number, lens: number, count: number, out: number): number
  cbor_to_json(ptr: number, len: number): number
  json_to_cbor(ptr: number, len: number): number
  pb_to_json(ptr: number, len: number): number
  links(codec: number, ptr: number, len: number): number
  car_header(ptr: number, len: number, atEof: boolean): number
  car_sections(ptr: number, len: number, atEof: boolean, base: number): number
}

/** What `ready()` can be given: the module's bytes, a compiled module, or a response for it. */
export type WasmSource = BufferSource | WebAssembly.Module | Response | Promise<Response>

let exports: Exports | undefined
let loading: Promise<void> | undefined

/** A scratch region reused across calls, grown on demand, so small calls do not allocate. */
let scratchPtr = 0
let scratchLen = 0

async function instantiate (source: WasmSource): Promise<WebAssembly.Instance> {
  if (source instanceof WebAssembly.Module) return WebAssembly.instantiate(source, {})
  if (source instanceof Response || source instanceof Promise) {
    const response = await source
    if (!response.ok) throw new Error(`cannot load the hot path module: HTTP ${response.status}`)
    return (await WebAssembly.instantiate(await response.arrayBuffer(), {})).instance
  }
  return (await WebAssembly.instantiate(source, {})).instance
}

/**
 * Loads the module once. Later calls return the same promise; a failed load can be retried.
 */
export async function load (source: () => WasmSource): Promise<void> {
  if (exports !== undefined) return
  loading ??= instantiate(source()).then(instance => {
    exports = instance.exports as unknown as Exports
  }, err => {
    loading = undefined
    throw err
  })
  return loading
}

/** The loaded module's exports, or a `HotpathNotReadyError`. */
export function wasm (): Exports {
  if (exports === undefined) throw new HotpathNotReadyError('the hot path module is not loaded: await ready() first')
  return exports
}

/** Reserves at least `len` bytes of scratch memory and returns its address. */
export function scratch (len: number): number {
  const w = wasm()
  if (len > scratchLen) {
    if (scratchLen > 0) w.free(scratchPtr, scratchLen)
    scratchLen = Math.max(len, scratchLen * 2, 64 * 1024)
    scratchPtr = w.alloc(scratchLen)
  }
  return scratchPtr
}

/** Copies `bytes` into scratch memory; returns the address. */
export function copyIn (bytes: Uint8Array, extra = 0): number {
  const ptr = scratch(bytes.length + extra)
  new Uint8Array(wasm().memory.buffer, ptr, bytes.length).set(bytes)
  return ptr
}

/** A copy of module memory at `[ptr, ptr + len)`. */
export function copyOut (ptr: number, len: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(wasm().memory.buffer, ptr, len).slice()
}

/** Checks a status code; on success returns a view of the result buffer (valid until the next call). */
export function resultOf (status: number): Uint8Array {
  const w = wasm()
  const view = new Uint8Array(w.memory.buffer, w.result_ptr(), w.result_len())
  if (status !== 0) {
    const offset = w.error_offset()
    throw errorForCode(status, new TextDecoder().decode(view), offset < 0 ? undefined : offset)
  }
  return view
}
