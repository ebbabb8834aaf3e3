import type { JSX } from 'preact'
import { isLeaf, type DagValue } from '../../content/dag/dag-json-tree.ts'

/** Props: the value, where it sits, and how to build a link's target. */
interface ValueTreeProps {
  value: DagValue
  /** Path of this value relative to the shown node, segments joined by `/`. */
  at?: string
  /** The href to follow a link found at `path`. */
  linkHref: (path: string, cid: string) => string
}

const MAX_BYTES_SHOWN = 64

function Bytes ({ base64 }: { base64: string }): JSX.Element {
  const length = Math.floor(base64.length * 3 / 4)
  const shown = base64.length > MAX_BYTES_SHOWN ? `${base64.slice(0, MAX_BYTES_SHOWN)}…` : base64
  return <span class='v-bytes' title={`${length} bytes, base64`}>bytes({length}) {shown}</span>
}

/** A data-model value drawn as an indented tree; links are clickable. */
export function ValueTree ({ value, at = '', linkHref }: ValueTreeProps): JSX.Element {
  if (value === null) return <span class='v-null'>null</span>
  if (typeof value === 'boolean') return <span class='v-bool'>{String(value)}</span>
  if (typeof value === 'string') return <span class='v-string'>{JSON.stringify(value)}</span>
  if (isLeaf(value)) {
    if (value.kind === 'number') return <span class={value.float ? 'v-float' : 'v-int'}>{value.text}</span>
    if (value.kind === 'bytes') return <Bytes base64={value.base64} />
    return <a class='v-link' href={linkHref(at, value.cid)} data-link-path={at}>{value.cid}</a>
  }
  const entries: Array<[string, DagValue]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value)
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}']
  if (entries.length === 0) return <span class='v-punct'>{open}{close}</span>
  return (
    <span>
      <span class='v-punct'>{open}</span>
      <ul class='v-children'>
        {entries.map(([key, child]) => (
          <li key={key}>
            <span class={Array.isArray(value) ? 'v-index' : 'v-key'}>{Array.isArray(value) ? key : JSON.stringify(key)}</span>
            <span class='v-punct'>: </span>
            <ValueTree value={child} at={at === '' ? key : `${at}/${key}`} linkHref={linkHref} />
          </li>
        ))}
      </ul>
      <span class='v-punct'>{close}</span>
    </span>
  )
}
