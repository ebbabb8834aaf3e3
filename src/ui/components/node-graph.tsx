import type { JSX } from 'preact'
import { count } from '../../lib/count.ts'

/** Props: the node shown and its outgoing links. */
interface NodeGraphProps {
  cid: string
  codec: string
  links: Array<{ path: string, cid: string }>
  linkHref: (path: string, cid: string) => string
}

const SIZE = 360
const CENTRE = SIZE / 2
const MAX_DRAWN = 24

function shortCid (cid: string): string {
  return cid.length > 14 ? `${cid.slice(0, 6)}…${cid.slice(-5)}` : cid
}

/** The node as a circle with its outgoing links around it; each link is clickable. */
export function NodeGraph ({ cid, codec, links, linkHref }: NodeGraphProps): JSX.Element {
  const drawn = links.slice(0, MAX_DRAWN)
  const radius = drawn.length <= 1 ? 110 : 130
  return (
    <figure class='graph'>
      <svg viewBox={`0 0 ${SIZE} ${SIZE}`} width={SIZE} height={SIZE} role='img' aria-label={`${cid} with ${links.length} links`}>
        {drawn.map((link, i) => {
          const angle = (2 * Math.PI * i) / Math.max(drawn.length, 1) - Math.PI / 2
          const x = CENTRE + radius * Math.cos(angle)
          const y = CENTRE + radius * Math.sin(angle)
          return (
            <g key={`${link.path}-${i}`}>
              <line x1={CENTRE} y1={CENTRE} x2={x} y2={y} class='edge' />
              <a href={linkHref(link.path, link.cid)} class='graph-link'>
                <title>{`${link.path === '' ? '(the value)' : link.path} → ${link.cid}`}</title>
                <circle cx={x} cy={y} r={20} class='child' />
                <text x={x} y={y + 34} text-anchor='middle' class='label'>{link.path === '' ? '·' : link.path.slice(-16)}</text>
                <text x={x} y={y + 4} text-anchor='middle' class='cid-label'>{shortCid(link.cid).slice(0, 4)}</text>
              </a>
            </g>
          )
        })}
        <circle cx={CENTRE} cy={CENTRE} r={38} class='self' />
        <text x={CENTRE} y={CENTRE - 4} text-anchor='middle' class='self-label'>{codec}</text>
        <text x={CENTRE} y={CENTRE + 12} text-anchor='middle' class='cid-label'>{shortCid(cid)}</text>
      </svg>
      <figcaption>{links.length === 0 ? 'No outgoing links' : `${count(links.length, 'outgoing link')}${links.length > MAX_DRAWN ? ` (first ${MAX_DRAWN} drawn)` : ''}`}</figcaption>
    </figure>
  )
}
