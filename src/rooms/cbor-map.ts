import { CID } from 'multiformats/cid'
import { dagCborToDagJson } from '../hotpath/index.ts'
import { MalformedRoomMessageError } from './errors.ts'
import { MAX_MESSAGE_BYTES } from './limits.ts'

/**
 * A room block's fields: its bytes read as strict DAG-CBOR by the WASM module, in DAG-JSON
 * form. Throws `MalformedRoomMessageError` naming `what` when the bytes are over 64 KiB, not
 * DAG-CBOR, or not a map. Every kind of room block starts here, and a topic message is read
 * once and handed to the reader its shape calls for.
 */
export function readCborMap (bytes: Uint8Array, what: string): Record<string, unknown> {
  if (bytes.byteLength > MAX_MESSAGE_BYTES) throw new MalformedRoomMessageError(`${what} of ${bytes.byteLength} bytes is over the ${MAX_MESSAGE_BYTES} byte limit`)
  let value: unknown
  try {
    value = JSON.parse(dagCborToDagJson(bytes))
  } catch (err) {
    throw new MalformedRoomMessageError(`${what} is not valid DAG-CBOR: ${(err as Error).message}`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MalformedRoomMessageError(`${what} is not a map`)
  return value as Record<string, unknown>
}

/** The CID of a link in DAG-JSON form (`{"/": "<cid>"}`), or undefined when the value is not one. */
export function linkOf (value: unknown): CID | undefined {
  const text = (value as { '/'?: unknown } | null)?.['/']
  if (typeof text !== 'string') return undefined
  try {
    return CID.parse(text)
  } catch {
    return undefined
  }
}
