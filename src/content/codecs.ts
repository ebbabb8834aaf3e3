import { CODECS } from '../lib/multicodec.ts'
import { UnknownCodecError } from './errors.ts'

/** The codecs whose blocks Cairn decodes and creates, by multicodec code (from the one table). */
export const codecs = {
  'dag-pb': CODECS['dag-pb'],
  'dag-cbor': CODECS['dag-cbor'],
  'dag-json': CODECS['dag-json'],
  raw: CODECS.raw
} as const
/** A codec name Cairn knows. */
export type CodecName = keyof typeof codecs

const names = new Map<number, CodecName>(Object.entries(codecs).map(([name, code]) => [code, name as CodecName]))

/** The name of a known codec code, or an `UnknownCodecError`. */
export function codecName (code: number): CodecName {
  const name = names.get(code)
  if (name === undefined) throw new UnknownCodecError(`codec 0x${code.toString(16)} is not supported (dag-cbor, dag-json, dag-pb, raw are)`)
  return name
}

/** The code of a codec name, or an `UnknownCodecError`. */
export function codecCode (name: string): number {
  if (!(name in codecs)) throw new UnknownCodecError(`unknown codec "${name}" (use dag-cbor, dag-json or raw)`)
  return codecs[name as CodecName]
}
