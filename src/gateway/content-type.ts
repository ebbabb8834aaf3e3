/** Media types by file extension, for the files websites and media libraries hold. */
const BY_EXTENSION: Record<string, string> = {
  html: 'text/html', htm: 'text/html', css: 'text/css', js: 'text/javascript', mjs: 'text/javascript',
  json: 'application/json', map: 'application/json', webmanifest: 'application/manifest+json',
  txt: 'text/plain', md: 'text/markdown', csv: 'text/csv', xml: 'application/xml',
  svg: 'image/svg+xml', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif',
  webp: 'image/webp', avif: 'image/avif', ico: 'image/x-icon', bmp: 'image/bmp',
  mp4: 'video/mp4', m4v: 'video/mp4', webm: 'video/webm', ogv: 'video/ogg', mov: 'video/quicktime',
  mp3: 'audio/mpeg', m4a: 'audio/mp4', oga: 'audio/ogg', ogg: 'audio/ogg', opus: 'audio/ogg', wav: 'audio/wav', flac: 'audio/flac',
  pdf: 'application/pdf', wasm: 'application/wasm', zip: 'application/zip', gz: 'application/gzip',
  tar: 'application/x-tar', car: 'application/vnd.ipld.car',
  woff: 'font/woff', woff2: 'font/woff2', ttf: 'font/ttf', otf: 'font/otf'
}

const TEXT_TYPES = /^(text\/|application\/(json|javascript|xml|manifest\+json)|image\/svg\+xml)/

/** Adds `charset=utf-8` to textual types. */
function withCharset (type: string): string {
  return TEXT_TYPES.test(type) ? `${type}; charset=utf-8` : type
}

/** The media type for a file name's extension, if known. */
export function typeFromName (name: string): string | undefined {
  const dot = name.lastIndexOf('.')
  if (dot < 0) return undefined
  const type = BY_EXTENSION[name.slice(dot + 1).toLowerCase()]
  return type === undefined ? undefined : withCharset(type)
}

function startsWith (bytes: Uint8Array, signature: ReadonlyArray<number | null>, at = 0): boolean {
  return signature.every((b, i) => b === null || bytes[at + i] === b)
}

const ascii = (text: string): number[] => [...text].map(c => c.charCodeAt(0))

const SIGNATURES: Array<[ReadonlyArray<number | null>, string, number?]> = [
  [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'image/png'],
  [[0xff, 0xd8, 0xff], 'image/jpeg'],
  [ascii('GIF8'), 'image/gif'],
  [[...ascii('RIFF'), null, null, null, null, ...ascii('WEBP')], 'image/webp'],
  [[...ascii('RIFF'), null, null, null, null, ...ascii('WAVE')], 'audio/wav'],
  [ascii('%PDF-'), 'application/pdf'],
  [ascii('ftyp'), 'video/mp4', 4],
  [[0x1a, 0x45, 0xdf, 0xa3], 'video/webm'],
  [ascii('OggS'), 'audio/ogg'],
  [ascii('ID3'), 'audio/mpeg'],
  [ascii('fLaC'), 'audio/flac'],
  [[0x00, 0x61, 0x73, 0x6d], 'application/wasm'],
  [[0x50, 0x4b, 0x03, 0x04], 'application/zip'],
  [[0x1f, 0x8b], 'application/gzip'],
  [[0x00, 0x00, 0x01, 0x00], 'image/x-icon']
]

/** Decodes bytes as strict UTF-8, allowing one character cut off at the end. */
function decodeUtf8Prefix (bytes: Uint8Array): string | undefined {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  for (let cut = 0; cut < 4 && cut < bytes.length; cut++) {
    try {
      return decoder.decode(bytes.subarray(0, bytes.length - cut))
    } catch {
      if (bytes.length < 512) return undefined
    }
  }
  return bytes.length === 0 ? '' : undefined
}

/**
 * Sniffs a media type from a file's first bytes: binary signatures, then markup, then UTF-8
 * text. Falls back to `application/octet-stream`.
 */
export function sniffType (head: Uint8Array): string {
  for (const [signature, type, at] of SIGNATURES) {
    if (head.length >= signature.length + (at ?? 0) && startsWith(head, signature, at)) return type
  }
  const text = decodeUtf8Prefix(head.subarray(0, 512))
  if (text === undefined) return 'application/octet-stream'
  if (text.includes('\u0000')) return 'application/octet-stream'
  const start = text.trimStart().slice(0, 256).toLowerCase()
  if (/^<!doctype html|^<html|^<head|^<body|^<script|^<!--|^<p>|^<div|^<h1|^<title/.test(start)) return 'text/html; charset=utf-8'
  if (start.startsWith('<svg') || (start.startsWith('<?xml') && text.includes('<svg'))) return 'image/svg+xml; charset=utf-8'
  if (start.startsWith('<?xml')) return 'application/xml; charset=utf-8'
  return 'text/plain; charset=utf-8'
}

/** True when `bytes` are UTF-8 text holding one valid JSON value (RFC 8259). */
export function isJson (bytes: Uint8Array): boolean {
  try {
    JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
    return true
  } catch {
    return false
  }
}
