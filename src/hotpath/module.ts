import { errorForCode, HotpathCrashError, HotpathNotReadyError, InvalidArgumentError } from './errors.ts'

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
  cbor_to_diagnostic(ptr: number, len: number): number
  json_to_cbor(ptr: number, len: number): number
  pb_to_json(ptr: number, len: number): number
  links(codec: number, ptr: number, len: number): number
  car_header(ptr: number, len: number, atEof: boolean): number
  car_sections(ptr: number, len: number, atEof: boolean, base: number): number
  unixfs_new(profile: number): number
  unixfs_leaf_frame(handle: number, len: number): number
  unixfs_push(handle: number, ptr: number, len: number): number
  unixfs_file_end(handle: number, ptr: number, len: number): number
  unixfs_dir_begin(handle: number, ptr: number, len: number): number
  unixfs_dir_end(handle: number): number
  unixfs_finish(handle: number, wrap: number): number
  unixfs_free(handle: number): void
}

/** What `ready()` can be given: the module's bytes, a compiled module, or a response for it. */
export type WasmSource = BufferSource | WebAssembly.Module | Response | Promise<Response>

/**
 * Above this much module memory the instance is replaced by a fresh one before the next call.
 * WebAssembly memory never shrinks: without this, one large or hostile input would leave the
 * node holding its peak for as long as it runs. Normal work stays far below (CAR sections are
 * at most 16 MiB, parsed in a 4 MiB window).
 */
export const MEMORY_RENEW_BYTES = 128 * 1024 * 1024

/** Scratch grows by doubling up to this size, then to exactly what a call needs. */
const SCRATCH_DOUBLING_LIMIT = 256 * 1024 * 1024

let compiled: WebAssembly.Module | undefined
let exports: Exports | undefined
let loading: Promise<void> | undefined
/** Set when the instance must not be used again (it trapped) or has grown too large. */
let stale = false
/** Handles open in the current instance (see `holdInstance`): it is not renewed under them. */
let holds = 0

/** A scratch region reused across calls, grown on demand, so small calls do not allocate. */
let scratchPtr = 0
let scratchLen = 0

async function compile (source: WasmSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source
  if (source instanceof Response || source instanceof Promise) {
    const response = await source
    if (!response.ok) throw new Error(`cannot load the hot path module: HTTP ${response.status}`)
    // Compiled while it streams in (and, from a cache, with the browser's compiled-code cache).
    if (/^application\/wasm\b/i.test(response.headers.get('Content-Type') ?? '')) return WebAssembly.compileStreaming(response)
    return WebAssembly.compile(await response.arrayBuffer())
  }
  return WebAssembly.compile(source)
}

function use (instance: WebAssembly.Instance): void {
  exports = instance.exports as unknown as Exports
  scratchPtr = 0
  scratchLen = 0
  stale = false
}

/**
 * Loads the module once. Later calls return the same promise; a failed load can be retried.
 */
export async function load (source: () => WasmSource): Promise<void> {
  if (exports !== undefined) return
  loading ??= compile(source()).then(async module => {
    compiled = module
    use(await WebAssembly.instantiate(module, {}))
  }, err => {
    loading = undefined
    throw err
  })
  return loading
}

/**
 * Replaces the instance with a fresh one of the same module (new, small memory). Synchronous
 * where the runtime allows it (workers, Node.js); where it refuses (a page's main thread may
 * forbid synchronous instantiation), the swap happens as soon as the asynchronous one is done,
 * and calls keep using the old instance until then. Every call copies its results out, so no
 * pointer outlives a call and a swap between calls is safe.
 */
function renew (): void {
  const module = compiled as WebAssembly.Module
  try {
    use(new WebAssembly.Instance(module, {}))
  } catch {
    void WebAssembly.instantiate(module, {}).then(use)
  }
}

/** The loaded module's exports, or a `HotpathNotReadyError`. */
export function wasm (): Exports {
  if (exports === undefined) throw new HotpathNotReadyError('the hot path module is not loaded: await ready() first')
  return exports
}

/**
 * Runs one call into the module. A trap (a bug in the module, never expected) becomes a
 * `HotpathCrashError` and the instance is replaced before the next call, since its memory may
 * be left inconsistent.
 */
export function call<T> (run: (w: Exports) => T): T {
  try {
    return run(wasm())
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError) {
      stale = true
      throw new HotpathCrashError(`the hot path module trapped (${err.message}); it has been restarted`)
    }
    throw err
  }
}

/**
 * Keeps the current instance while a handle into its memory is open (an import spanning many
 * calls): it is not renewed until every hold is released. Returns the release function.
 */
export function holdInstance (): () => void {
  holds++
  let released = false
  return () => {
    if (!released) holds--
    released = true
  }
}

/** How many bytes of memory the current instance holds. */
export function memoryBytes (): number {
  return wasm().memory.buffer.byteLength
}

/**
 * Reserves at least `len` bytes of scratch memory and returns its address. Every call into
 * the module starts here, so this is also where a trapped or oversized instance is renewed.
 */
export function scratch (len: number): number {
  if (holds === 0 && (stale || memoryBytes() > MEMORY_RENEW_BYTES)) renew()
  const w = wasm()
  if (len > scratchLen) {
    if (scratchLen > 0) w.free(scratchPtr, scratchLen)
    // Doubling amortises growing inputs; past 256 MiB only what is asked for is reserved.
    const want = Math.max(len, Math.min(scratchLen * 2, SCRATCH_DOUBLING_LIMIT), 64 * 1024)
    // Addresses are u32: read them unsigned, or memory past 2 GiB reads as negative.
    const ptr = w.alloc(want) >>> 0
    if (ptr === 0) {
      scratchPtr = 0
      scratchLen = 0
      throw new InvalidArgumentError(`an input of ${len} bytes does not fit in the hot path module's memory`)
    }
    scratchPtr = ptr
    scratchLen = want
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
  const view = new Uint8Array(w.memory.buffer, w.result_ptr() >>> 0, w.result_len() >>> 0)
  if (status !== 0) {
    const offset = w.error_offset()
    throw errorForCode(status, new TextDecoder().decode(view), offset < 0 ? undefined : offset)
  }
  return view
}
