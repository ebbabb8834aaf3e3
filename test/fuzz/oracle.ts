import { CID } from 'multiformats/cid'

/**
 * Whether two data-model values (as the `@ipld` codecs give them) hold the same data.
 * Numbers compare by value, so a float without a fraction equals the integer JavaScript
 * reads it as (the DAG-JSON spec notes that JavaScript cannot tell them apart), and an
 * integer past 2^53 equals the double a JavaScript reader rounded it to.
 */
export function sameData (a: unknown, b: unknown): boolean {
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    // Past 2^53 a reference that reads into a JavaScript number holds the nearest double.
    const inexact = (x: number | bigint): boolean => typeof x === 'number' && !Number.isSafeInteger(x) && Number.isInteger(x)
    if (inexact(a) || inexact(b)) return Number(a) === Number(b)
    return a == b // a number and a bigint of equal value
  }
  const ca = CID.asCID(a)
  const cb = CID.asCID(b)
  if (ca !== null || cb !== null) return ca !== null && cb !== null && ca.equals(cb)
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i])
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameData(x, b[i]))
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort()
    const kb = Object.keys(b).sort()
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] &&
      sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  }
  return Object.is(a, b) || (a === 0 && b === 0)
}

/** Byte-for-byte equality. */
export function sameBytes (a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

/** What a call did: its value, or the error it threw. */
export type Outcome<T> = { ok: true, value: T } | { ok: false, error: unknown }

/** Runs `f` and captures its value or error. */
export function attempt<T> (f: () => T): Outcome<T> {
  try {
    return { ok: true, value: f() }
  } catch (error) {
    return { ok: false, error }
  }
}

/** Like `attempt`, for async work. */
export async function attemptAsync<T> (f: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await f() }
  } catch (error) {
    return { ok: false, error }
  }
}

/** The name of a thrown error, or a description of a non-error throw. */
export function errorName (error: unknown): string {
  return error instanceof Error ? error.name : `non-error ${typeof error}`
}
