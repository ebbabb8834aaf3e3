import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { CarReader, CarWriter } from '@ipld/car'
import type { Locator, Page } from '@playwright/test'
import { importer } from 'ipfs-unixfs-importer'
import type { CID } from 'multiformats/cid'
import { identity } from 'multiformats/hashes/identity'
import { sha256 } from 'multiformats/hashes/sha2'
import { equals } from 'uint8arrays/equals'

/** A CAR built from a folder: its file on disk, the root, and every entry's CID by path. */
export interface BuiltCar {
  file: string
  root: string
  cids: Map<string, string>
}

/** The files under `dir`, with paths relative to it, in name order. */
export function * filesOf (dir: string, base = dir): Generator<{ path: string, content: Uint8Array }> {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name)
    if (statSync(full).isDirectory()) yield * filesOf(full, base)
    else yield { path: relative(base, full), content: new Uint8Array(readFileSync(full)) }
  }
}

/**
 * Imports a folder with the reference UnixFS importer (CIDv1, raw leaves) and writes it as a
 * CARv1 under test-results/, plus extra files given in memory; folders whose links pass
 * `shardSplitThresholdBytes` (the importer's default when not given) become HAMTs.
 */
export async function carOfFolder (dir: string, name: string, extra: Array<{ path: string, content: Uint8Array }> = [], shardSplitThresholdBytes?: number): Promise<BuiltCar> {
  const blocks: Array<{ cid: CID, bytes: Uint8Array }> = []
  const store = {
    async put (cid: CID, bytes: Uint8Array) { blocks.push({ cid, bytes }); return cid },
    async get () { throw new Error('not used') },
    async has () { return false }
  }
  const cids = new Map<string, string>()
  let root: CID | undefined
  const entries = [...filesOf(dir), ...extra]
  for await (const entry of importer(entries, store as never, { cidVersion: 1, rawLeaves: true, wrapWithDirectory: true, ...(shardSplitThresholdBytes === undefined ? {} : { shardSplitThresholdBytes }) })) {
    cids.set(entry.path ?? '', entry.cid.toString())
    if (entry.path === '') root = entry.cid
  }
  if (root === undefined) throw new Error('no root')
  return { file: await writeCar(root, blocks, name), root: root.toString(), cids }
}

/** Writes blocks as a CARv1 with one root under test-results/; returns its path. */
export async function writeCar (root: CID, blocks: Array<{ cid: CID, bytes: Uint8Array }>, name: string): Promise<string> {
  const { writer, out } = CarWriter.create([root])
  const chunks: Uint8Array[] = []
  const collected = (async () => { for await (const chunk of out) chunks.push(chunk) })()
  for (const block of blocks) await writer.put(block)
  await writer.close()
  await collected
  mkdirSync('test-results', { recursive: true })
  const file = join('test-results', `${name}.car`)
  writeFileSync(file, Buffer.concat(chunks))
  return file
}

/** A mono 8-bit WAV of `seconds` of a 440 Hz tone: a real media file for range requests. */
export function wavTone (seconds: number, rate = 8000): Uint8Array {
  const samples = Math.round(seconds * rate)
  const out = new Uint8Array(44 + samples)
  const view = new DataView(out.buffer)
  const ascii = (at: number, text: string): void => { for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i) }
  ascii(0, 'RIFF'); view.setUint32(4, 36 + samples, true); ascii(8, 'WAVE')
  ascii(12, 'fmt '); view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true)
  view.setUint32(24, rate, true); view.setUint32(28, rate, true); view.setUint16(32, 1, true); view.setUint16(34, 8, true)
  ascii(36, 'data'); view.setUint32(40, samples, true)
  for (let i = 0; i < samples; i++) out[44 + i] = 128 + Math.round(100 * Math.sin(2 * Math.PI * 440 * i / rate))
  return out
}

/** A CAR the browser saved: its file name, roots and blocks, every block checked against its CID. */
export interface SavedCar {
  name: string
  roots: string[]
  blocks: Map<string, Uint8Array>
}

/**
 * Clicks a link as a user does and reads the file the browser saved (Playwright's `download`
 * event, so a link the browser fails to download fails here). Returns its name and bytes.
 */
export async function saveByClick (page: Page, link: Locator): Promise<{ name: string, bytes: Uint8Array }> {
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
  const failure = await download.failure()
  if (failure !== null) throw new Error(`the download of ${download.url()} failed: ${failure}`)
  const path = await download.path()
  return { name: download.suggestedFilename(), bytes: new Uint8Array(readFileSync(path)) }
}

/** Clicks a CAR download link and reads the saved CAR with `@ipld/car`, verifying every block. */
export async function saveCarByClick (page: Page, link: Locator): Promise<SavedCar> {
  const { name, bytes } = await saveByClick(page, link)
  const reader = await CarReader.fromBytes(bytes)
  const blocks = new Map<string, Uint8Array>()
  for await (const { cid, bytes: data } of reader.blocks()) {
    if (!equals(await hashOf(cid.multihash.code, data), cid.multihash.digest)) throw new Error(`block ${cid} in ${name} does not match its CID`)
    blocks.set(cid.toString(), data)
  }
  return { name, roots: (await reader.getRoots()).map(String), blocks }
}

/** The digest of `bytes` under a multihash code the tests' content uses (SHA-256, identity). */
export async function hashOf (code: number, bytes: Uint8Array): Promise<Uint8Array> {
  if (code === sha256.code) return (await sha256.digest(bytes)).digest
  if (code === identity.code) return identity.digest(bytes).digest
  throw new Error(`no hasher for multihash code 0x${code.toString(16)}`)
}
