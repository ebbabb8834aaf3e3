import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join, resolve } from 'node:path'

/**
 * The shared public conformance fixtures, beside the repository (`../shared/fixtures`), or
 * wherever `CAIRN_FIXTURES` points. Missing fixtures fail loudly instead of skipping tests.
 */
export const fixturesDir: string = process.env.CAIRN_FIXTURES ??
  resolve(fileURLToPath(new URL('../..', import.meta.url)), '..', 'shared', 'fixtures')

if (!existsSync(fixturesDir)) {
  throw new Error(`conformance fixtures not found at ${fixturesDir}; set CAIRN_FIXTURES`)
}

/** One block of the IPLD codec fixtures. */
export interface CodecFixture {
  name: string
  codec: 'dag-cbor' | 'dag-json' | 'dag-pb'
  cid: string
  bytes: Uint8Array
}

/** Every positive codec fixture, grouped by name. */
export function codecFixtures (): Map<string, CodecFixture[]> {
  const root = join(fixturesDir, 'codec-fixtures', 'fixtures')
  const out = new Map<string, CodecFixture[]>()
  const names = readdirSync(root, { withFileTypes: true }).filter(d => d.isDirectory()).map(d => d.name).sort()
  for (const name of names) {
    const forms = readdirSync(join(root, name)).map(file => {
      const dot = file.indexOf('.')
      return {
        name,
        cid: file.slice(0, dot),
        codec: file.slice(dot + 1) as CodecFixture['codec'],
        bytes: new Uint8Array(readFileSync(join(root, name, file)))
      }
    })
    out.set(name, forms)
  }
  return out
}

/** A negative fixture: input bytes (from hex or JSON) a decoder or encoder must reject. */
export interface NegativeFixture {
  name: string
  hex?: string
  'dag-json'?: unknown
  error: string
}

/** Negative fixtures for `codec` and `direction` (`decode` or `encode`). */
export function negativeFixtures (codec: string, direction: 'decode' | 'encode'): NegativeFixture[] {
  const dir = join(fixturesDir, 'codec-fixtures', 'negative-fixtures', codec, direction)
  return readdirSync(dir).filter(f => f.endsWith('.json'))
    .flatMap(f => JSON.parse(readFileSync(join(dir, f), 'utf8')) as NegativeFixture[])
}

/** Hex text → bytes. */
export function fromHex (hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], b => parseInt(b, 16))
}
