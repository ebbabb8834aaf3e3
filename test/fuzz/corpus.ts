import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { codecFixtures, fixturesDir, fromHex, negativeFixtures } from '../support/fixtures.ts'
import { roomTarget } from './room-target.ts'
import { ipnsRecordTarget } from './ipns-record-target.ts'
import { pinningApiTarget } from './pinning-api-target.ts'
import { redirectsTarget } from './redirects-target.ts'
import { carTarget, dagCborTarget, dagJsonTarget, dagPbTarget, type FuzzTarget } from './targets.ts'

const utf8 = new TextEncoder()

function codecSeeds (codec: 'dag-cbor' | 'dag-json' | 'dag-pb'): Uint8Array[] {
  const positive = [...codecFixtures().values()].flat().filter(f => f.codec === codec).map(f => f.bytes)
  const negative = negativeFixtures(codec, 'decode').map(f =>
    f.hex !== undefined ? fromHex(f.hex) : utf8.encode(JSON.stringify(f['dag-json'])))
  return [...positive, ...negative]
}

/** Every `.car` under a folder of the shared fixtures. */
function cars (dir: string): Uint8Array[] {
  return readdirSync(join(fixturesDir, dir), { recursive: true, encoding: 'utf8' })
    .filter(f => f.endsWith('.car'))
    .map(f => new Uint8Array(readFileSync(join(fixturesDir, dir, f))))
    .filter(b => b.length <= 256 * 1024)
}

/** The fuzz targets, seeded from the public codec, CAR and gateway fixtures (room blocks, IPNS record vectors, `_redirects` examples). */
export function fuzzTargets (): FuzzTarget[] {
  return [
    dagCborTarget(codecSeeds('dag-cbor')),
    dagJsonTarget(codecSeeds('dag-json')),
    dagPbTarget(codecSeeds('dag-pb')),
    carTarget([...cars('car-spec'), ...cars('gateway-conformance')]),
    roomTarget(),
    ipnsRecordTarget(),
    redirectsTarget(),
    pinningApiTarget()
  ]
}
