import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { readIpnsRecord, MAX_IPNS_RECORD_BYTES } from '../../src/names/ipns-record.ts'
import { parseName, type IpnsKeyName } from '../../src/names/name.ts'
import { fixturesDir } from '../support/fixtures.ts'
import { attemptAsync, errorName } from './oracle.ts'
import type { Rng } from './rng.ts'
import type { FuzzTarget } from './targets.ts'

const RECORDS = join(fixturesDir, 'gateway-conformance', 'fixtures', 'ipns_records')

/**
 * IPNS records as routing endpoints send them (`readIpnsRecord`), seeded with the six
 * conformance vectors. Every input is read or refused with `InvalidIpnsRecordError`, never
 * anything else; what is read is within 10 KiB and points at an `/ipfs/` or `/ipns/` path. The
 * name is the v1-v2 vector's, so mutations of its record reach the signature check.
 */
export function ipnsRecordTarget (): FuzzTarget {
  const files = readdirSync(RECORDS).filter(f => f.endsWith('.ipns-record'))
  const signed = files.find(f => f.endsWith('_v1-v2.ipns-record')) as string
  const name = parseName(signed.split('_')[0]) as IpnsKeyName
  return {
    name: 'ipns-record',
    seeds: () => files.map(f => new Uint8Array(readFileSync(join(RECORDS, f)))),
    fresh: (rng: Rng) => rng.bytes(rng.below(512)),
    async check (input) {
      const read = await attemptAsync(async () => readIpnsRecord(name, input))
      if (!read.ok) return errorName(read.error) === 'InvalidIpnsRecordError' ? undefined : `readIpnsRecord threw ${errorName(read.error)}: ${(read.error as Error)?.message}`
      if (input.byteLength > MAX_IPNS_RECORD_BYTES) return `a record of ${input.byteLength} bytes was read`
      if (!/^\/ip[fn]s\//.test(read.value.value)) return `a record pointing at ${read.value.value} was read`
      return undefined
    }
  }
}
