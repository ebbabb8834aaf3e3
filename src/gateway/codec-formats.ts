/**
 * Which blocks the codec-specific formats answer, and with which bytes — as the upstream
 * conformance suite and Kubo do:
 * - a DAG-JSON block is JSON and a DAG-CBOR block is CBOR, so `json` and `cbor` serve them as
 *   they are, under the plain type;
 * - `dag-json` and `dag-cbor` serve any block Cairn can read as IPLD data in that codec's
 *   canonical encoding: a DAG-PB node as its logical form (`Data`, `Links`), a raw block as
 *   bytes, the other DAG codec converted, and plain `json` or `cbor` when its data is valid IPLD.
 */
import { CID } from 'multiformats/cid'
import { dagJsonToDagCbor } from '../hotpath/index.ts'
import { blockToDagJson } from '../content/dag/block-to-json.ts'
import type { Block } from '../lib/block.ts'
import { CODECS } from '../lib/multicodec.ts'
import { GatewayError } from './errors.ts'

/** The formats tied to codecs. */
export type CodecFormat = 'dag-json' | 'dag-cbor' | 'json' | 'cbor'

/** The codecs whose blocks each format serves as they are. */
const AS_THEY_ARE: Record<CodecFormat, number[]> = {
  'dag-json': [CODECS['dag-json']],
  'dag-cbor': [CODECS['dag-cbor']],
  json: [CODECS.json, CODECS['dag-json']],
  cbor: [CODECS.cbor, CODECS['dag-cbor']]
}

/** The codecs whose blocks are read as IPLD data and written in a DAG format. */
const CONVERTED = new Set<number>([CODECS['dag-pb'], CODECS.raw, CODECS['dag-json'], CODECS['dag-cbor'], CODECS.json, CODECS.cbor])

/** A block's data as canonical DAG-JSON; plain JSON and CBOR are read as DAG-JSON and DAG-CBOR. */
function asDagJson ({ cid, bytes }: Block): string {
  const code = cid.code === CODECS.json ? CODECS['dag-json'] : cid.code === CODECS.cbor ? CODECS['dag-cbor'] : cid.code
  return blockToDagJson(cid.code === code ? cid : CID.createV1(code, cid.multihash), bytes)
}

/**
 * The bytes that answer `block` asked for as `format`, or undefined when the format does not
 * apply to its codec (a 406). Throws `GatewayError` 406 for a block whose data is not valid
 * IPLD in the format's codec, with the codec's reason.
 */
export function bytesAs (block: Block, format: CodecFormat): Uint8Array | undefined {
  const code = block.cid.code
  if (AS_THEY_ARE[format].includes(code)) return block.bytes
  if (format !== 'dag-json' && format !== 'dag-cbor') return undefined
  if (!CONVERTED.has(code)) return undefined
  try {
    const json = asDagJson(block)
    return format === 'dag-json' ? new TextEncoder().encode(json) : dagJsonToDagCbor(json)
  } catch (err) {
    throw new GatewayError(406, `${block.cid} cannot be read as IPLD data for ${format} (${(err as Error).message})`)
  }
}
