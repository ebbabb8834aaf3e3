import type { CID } from 'multiformats/cid'
import { base64 } from 'multiformats/bases/base64'
import { dagCborToDagJson, dagJsonToDagCbor, dagPbToDagJson } from '../../hotpath/index.ts'
import { codecName } from '../codecs.ts'

const text = new TextDecoder('utf-8', { fatal: true })

/** A block's content as canonical DAG-JSON text, decoded by the hot path according to its codec. */
export function blockToDagJson (cid: CID, bytes: Uint8Array): string {
  switch (codecName(cid.code)) {
    case 'dag-cbor': return dagCborToDagJson(bytes)
    case 'dag-pb': return dagPbToDagJson(bytes)
    case 'dag-json': return dagCborToDagJson(dagJsonToDagCbor(text.decode(bytes)))
    case 'raw': return `{"/":{"bytes":"${base64.baseEncode(bytes)}"}}`
  }
}
