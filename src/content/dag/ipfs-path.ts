import { CID } from 'multiformats/cid'
import { InvalidPathError } from '../errors.ts'

/** A parsed content path: the root CID and the path segments after it. */
export interface IpfsPath {
  root: CID
  segments: string[]
}

/**
 * Parses `<cid>`, `<cid>/a/b`, `/ipfs/<cid>/a/b` or `ipfs://<cid>/a/b`. Segments are
 * percent-decoded; empty segments (from `//` or a trailing `/`) are dropped.
 */
export function parseIpfsPath (input: string): IpfsPath {
  let text = input.trim()
  if (text === '') throw new InvalidPathError('enter a CID or a path like /ipfs/<cid>/a/b')
  if (text.startsWith('ipfs://')) text = text.slice('ipfs://'.length)
  else if (text.startsWith('/ipfs/')) text = text.slice('/ipfs/'.length)
  else if (text.startsWith('/')) throw new InvalidPathError(`unsupported namespace in "${input}": only /ipfs/ paths are supported`)
  const [first, ...rest] = text.split('/')
  let root: CID
  try {
    root = CID.parse(first)
  } catch (err) {
    throw new InvalidPathError(`"${first}" is not a valid CID: ${(err as Error).message}`)
  }
  const segments = rest.filter(s => s !== '').map(s => {
    try { return decodeURIComponent(s) } catch { throw new InvalidPathError(`path segment "${s}" is not valid percent-encoding`) }
  })
  return { root, segments }
}
