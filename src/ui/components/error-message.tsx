import type { JSX } from 'preact'
import { lineAndColumn } from '../format.ts'

const hints: Record<string, string> = {
  NotFoundError: 'This block is not stored in this browser.',
  BlockUnavailableError: 'No connected peer or gateway had it in time. Check the content sources in Settings, connect to a peer that has it, or try again.',
  PathNotFoundError: 'The path names something the node does not have.',
  InvalidPathError: 'Paste a CID (bafy…, Qm…) or a path like /ipfs/<cid>/a/b.',
  DagJsonParseError: 'Links are written {"/": "<cid>"}, bytes {"/": {"bytes": "<base64>"}}.',
  UnknownCodecError: 'Cairn reads dag-cbor, dag-json, dag-pb and raw blocks.',
  RpcTimeoutError: 'The node did not answer. Reload the page to restart it.',
  StorageFullError: 'Free some space: in the Library, remove unpinned content or unpin what you no longer need. Nothing of this write was kept, and nothing stored before was lost.'
}

/** An error as the user should see it: what went wrong, where, and what to try. */
export function ErrorMessage ({ error, source }: { error: Error, source?: string }): JSX.Element {
  const offset = (error as { offset?: number }).offset
  const where = source !== undefined && typeof offset === 'number' ? lineAndColumn(source, offset) : undefined
  const details = (error as { details?: string[] }).details ?? []
  return (
    <div class='error' role='alert' data-error={error.name}>
      <strong>{error.name}</strong>: {error.message.replace(/ \(at byte \d+\)$/, '')}
      {where !== undefined && <span class='where'> — line {where.line}, column {where.column}</span>}
      {details.length > 0 && <ul class='details'>{details.map(d => <li key={d}>{d}</li>)}</ul>}
      {hints[error.name] !== undefined && <p class='hint'>{hints[error.name]}</p>}
    </div>
  )
}
