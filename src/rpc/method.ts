import { InvalidParamsError } from './errors.ts'

/**
 * One RPC method, as both sides know it: how its parameters are checked (in the worker,
 * before anything runs), whether a client may send it again after a timeout (the worker may
 * have been stopped and restarted), and — as types only — its result and progress events.
 */
export interface MethodSpec<P, R, E = never> {
  readonly idempotent: boolean
  readonly params: (value: unknown) => P
  /** Type carrier for the result and progress event; never set at run time. */
  readonly types?: { result: R, progress: E }
}

/** Declares a method. `R` is the result, `E` the detail of its `progress` events (none by default). */
export function method<P, R, E = never> (spec: { idempotent: boolean, params: (value: unknown) => P }): MethodSpec<P, R, E> {
  return spec
}

/** The fields of a parameter object, or an `InvalidParamsError`. */
export function fields (value: unknown, method: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidParamsError(`${method} takes an object of parameters`)
  return value as Record<string, unknown>
}

/** A required string parameter. */
export function text (value: Record<string, unknown>, name: string, method: string): string {
  const v = value[name]
  if (typeof v !== 'string') throw new InvalidParamsError(`${method} needs "${name}" as a string`)
  return v
}

/** An optional number parameter. */
export function optionalNumber (value: Record<string, unknown>, name: string, method: string): number | undefined {
  const v = value[name]
  if (v === undefined) return undefined
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidParamsError(`${method} takes "${name}" as a number`)
  return v
}

/** Parameters of a method that takes none (`{}`). */
export function none (method: string): (value: unknown) => Record<string, never> {
  return value => {
    fields(value ?? {}, method)
    return {}
  }
}
