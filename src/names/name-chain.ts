import type { NameStep, Resolution } from './name-resolver.ts'

/** A resolution as the explorer shows it (plain data: it crosses the RPC boundary). */
export interface NameChain {
  /** The `/ipns/` path asked for. */
  path: string
  steps: NameStep[]
  /** The `/ipfs/` path it resolved to. */
  resolved: string
  ttlMs: number
  asOf: number
  stale: boolean
}

/** Splits `/ipns/<name>/a/b` (or `ipns://<name>/a/b`) into the name and its path; undefined for anything else. */
export function namedPath (path: string): { name: string, segments: string[] } | undefined {
  const match = /^(?:\/ipns\/|ipns:\/\/)([^/]+)(.*)$/i.exec(path.trim())
  if (match === null) return undefined
  return { name: decodeURIComponent(match[1]), segments: match[2].split('/').filter(s => s !== '').map(decodeURIComponent) }
}

/** The chain of a resolution, with the `/ipfs/` path it ends at. */
export function chainOf (path: string, resolution: Resolution): NameChain {
  const resolved = `/ipfs/${resolution.cid}${resolution.segments.map(s => `/${encodeURIComponent(s)}`).join('')}`
  return { path, steps: resolution.steps, resolved, ttlMs: resolution.ttlMs, asOf: resolution.asOf, stale: resolution.stale }
}
