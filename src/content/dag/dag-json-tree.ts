/**
 * DAG-JSON text as a JavaScript tree that keeps what `JSON.parse` alone would lose:
 * integers beyond 2^53 stay exact, floats stay floats, and the reserved `{"/": …}` forms
 * become links and bytes. Used to walk paths in the node and to draw values in the UI.
 */

/** A data-model value read from DAG-JSON. */
export type DagValue =
  | null
  | boolean
  | string
  | DagNumber
  | DagLink
  | DagBytes
  | DagValue[]
  | { [key: string]: DagValue }

/** A number with its exact source text. */
export interface DagNumber { kind: 'number', text: string, float: boolean }
/** A link to another block. */
export interface DagLink { kind: 'link', cid: string }
/** Bytes, base64-encoded as in DAG-JSON. */
export interface DagBytes { kind: 'bytes', base64: string }

/** Marks the leaf objects this module creates (numbers, links, bytes) apart from maps. */
const LEAF = Symbol('leaf')

interface JsonParseContext { source?: string }

function isPlainObject (v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(LEAF in v)
}

/**
 * Parses DAG-JSON text (as produced by the hot path, so already valid) into a tree.
 * Requires `JSON.parse` source text access (Chromium ≥ 114, Node.js ≥ 21).
 */
export function parseDagJson (text: string): DagValue {
  const raw = JSON.parse(text, function (this: unknown, _key: string, value: unknown, context?: JsonParseContext) {
    if (typeof value === 'number') {
      const source = context?.source ?? String(value)
      return { [LEAF]: true, kind: 'number', text: source, float: /[.eE]/.test(source) }
    }
    if (isPlainObject(value)) {
      const keys = Object.keys(value)
      const slash = value['/']
      if (keys.length === 1 && typeof slash === 'string') return { [LEAF]: true, kind: 'link', cid: slash }
      if (keys.length === 1 && isPlainObject(slash) && Object.keys(slash).length === 1 && typeof slash.bytes === 'string') {
        return { [LEAF]: true, kind: 'bytes', base64: slash.bytes }
      }
    }
    return value
  })
  return raw as DagValue
}

/** True for the special leaf kinds (number, link, bytes). */
export function isLeaf (value: DagValue): value is DagNumber | DagLink | DagBytes {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && LEAF in value
}

/** The link in `value`, if it is one. */
export function asLink (value: DagValue | undefined): DagLink | undefined {
  return value !== undefined && isLeaf(value) && value.kind === 'link' ? value : undefined
}

/** Every link under `value` with its path (segments joined by `/`), depth first. */
export function linksWithPaths (value: DagValue, prefix = ''): Array<{ path: string, cid: string }> {
  if (value === null || typeof value !== 'object') return []
  if (isLeaf(value)) return value.kind === 'link' ? [{ path: prefix, cid: value.cid }] : []
  const entries: Array<[string, DagValue]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value)
  return entries.flatMap(([k, v]) => linksWithPaths(v, prefix === '' ? k : `${prefix}/${k}`))
}
