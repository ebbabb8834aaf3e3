import type { ComponentChildren, JSX } from 'preact'

/** What the node's gateway can save: the DAG as a CAR, the one block as it is stored, or a UnixFS tree as a TAR. */
export type DownloadFormat = 'car' | 'raw' | 'tar'

/** The gateway URL that saves `cid` as a file: `?download=true` makes the answer an attachment. */
function downloadUrl (cid: string, format: DownloadFormat, filename?: string): string {
  const name = filename === undefined ? '' : `&filename=${encodeURIComponent(filename)}`
  return `/ipfs/${cid}?format=${format}&download=true${name}`
}

/**
 * A link that saves content from this node as a file. It is a plain navigation, not an
 * `<a download>`: Chromium sends downloads started by the `download` attribute past the
 * Service Worker (they reached the static server and failed), while a navigation is answered
 * by the worker, whose `Content-Disposition: attachment` makes the browser save it and stay on
 * the page. The file name comes from `filename`, else the gateway's (`<cid>.car`, `<cid>.bin`, `<cid>.tar`).
 */
export function DownloadLink ({ cid, format, filename, children }: { cid: string, format: DownloadFormat, filename?: string, children: ComponentChildren }): JSX.Element {
  return <a href={downloadUrl(cid, format, filename)} data-download={format}>{children}</a>
}
