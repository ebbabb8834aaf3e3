import { describe, expect, it } from 'vitest'
import { fuzzTargets } from '../../fuzz/corpus.ts'
import { fuzz } from '../../fuzz/run.ts'

/**
 * A short, seeded fuzz run of every decoder, the CAR reader, the room readers, the IPNS record reader, the `_redirects` reader and the home node's Pinning Service API readers on each `npm test`
 * (`npm run fuzz -- --seconds N` runs as long as asked, with new seeds). The same seed gives
 * the same inputs, so a failure here reproduces.
 */
const SEED = 20261127
const ITERATIONS: Record<string, number> = { 'dag-cbor': 80_000, 'dag-json': 80_000, 'dag-pb': 80_000, car: 30_000, room: 20_000, 'ipns-record': 20_000, redirects: 20_000, 'pinning-api': 20_000 }

describe('fuzzing (seeded, short)', () => {
  for (const target of fuzzTargets()) {
    it(`${target.name}: every input is answered or refused by name (as the reference reads it, where there is one)`, async () => {
      const report = await fuzz(target, { seed: SEED, iterations: ITERATIONS[target.name], maxFindings: 5 })
      expect(report.runs).toBe(ITERATIONS[target.name])
      expect(report.findings.map(f => `${f.problem}: ${Buffer.from(f.input).toString('hex')}`)).toEqual([])
    }, 120_000)
  }
})
