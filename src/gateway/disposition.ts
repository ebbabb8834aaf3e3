import type { GatewayRequest } from './request.ts'

/**
 * How a response is offered for saving: `optional` for web content (a header only with
 * `?download=true` or `?filename=`), `inline` for text formats (JSON), `attachment` for binary
 * formats (raw blocks, CBOR, CAR), which a browser must not try to render.
 */
export type DispositionKind = 'optional' | 'inline' | 'attachment'

/**
 * Sets `Content-Disposition` as the path gateway spec and Kubo do: `?filename=` names the file
 * (ASCII with `_` for other characters, plus the UTF-8 form), `?download=true` makes it an
 * attachment, binary formats are always attachments.
 */
export function setDisposition (req: GatewayRequest, headers: Headers, fallbackName: string | undefined, kind: DispositionKind): void {
  if (kind === 'optional' && !req.download && req.filename === undefined) return
  const name = req.filename ?? fallbackName
  const disposition = req.download || kind === 'attachment' ? 'attachment' : 'inline'
  if (name === undefined) {
    headers.set('Content-Disposition', disposition)
    return
  }
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_')
  headers.set('Content-Disposition', `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`)
}
