import { memoryBytes, MEMORY_RENEW_BYTES } from '../../src/hotpath/module.ts'
import { mutate } from './mutate.ts'
import { Rng } from './rng.ts'
import type { FuzzTarget } from './targets.ts'

/**
 * The most module memory inputs of up to `largest` bytes may leave behind: a fixed base plus
 * a small multiple of the input (a decoded value takes a few times its encoding), and never
 * past the point where the instance is renewed.
 */
function memoryBound (largest: number): number {
  return Math.min(8 * 1024 * 1024 + 64 * largest, MEMORY_RENEW_BYTES + 16 * 1024 * 1024)
}

/** Something a fuzz run found: the input and what went wrong with it. */
export interface Finding {
  target: string
  seed: number
  iteration: number
  problem: string
  input: Uint8Array
}

/** How long to run: a number of inputs, a time budget, or both (whichever ends first). */
export interface FuzzBudget {
  seed: number
  iterations?: number
  seconds?: number
  /** Stop after this many findings (default 20). */
  maxFindings?: number
}

/** What a run did. */
export interface FuzzReport {
  target: string
  runs: number
  findings: Finding[]
  /** The module's largest memory seen between calls, in bytes. */
  peakMemory: number
}

/**
 * Runs one target: each input is a mutation of a seed (or of another input that passed),
 * a fresh valid input, or random bytes. Module memory is checked after every input: it must
 * stay bounded, whatever was fed to it.
 */
export async function fuzz (target: FuzzTarget, budget: FuzzBudget): Promise<FuzzReport> {
  const rng = new Rng(budget.seed)
  const seeds = target.seeds(rng).filter(s => s.length > 0)
  const corpus = [...seeds]
  const deadline = budget.seconds === undefined ? Infinity : Date.now() + budget.seconds * 1000
  const iterations = budget.iterations ?? Infinity
  const findings: Finding[] = []
  let peakMemory = 0
  let largestInput = 0
  let runs = 0
  while (runs < iterations && Date.now() < deadline && findings.length < (budget.maxFindings ?? 20)) {
    const roll = rng.below(10)
    const input = roll < 7
      ? mutate(rng, rng.pick(corpus), rng.pick(corpus))
      : roll < 9 ? target.fresh(rng) : rng.bytes(rng.below(128))
    const problem = await target.check(input, rng)
    runs++
    if (problem !== undefined) {
      findings.push({ target: target.name, seed: budget.seed, iteration: runs, problem, input })
    } else if (corpus.length < 2000 && rng.chance(0.05)) {
      // Inputs that passed are mutated further: errors deep inside a valid prefix.
      corpus.push(input)
    }
    largestInput = Math.max(largestInput, input.length)
    const memory = memoryBytes()
    peakMemory = Math.max(peakMemory, memory)
    if (memory > memoryBound(largestInput)) {
      findings.push({ target: target.name, seed: budget.seed, iteration: runs, problem: `module memory grew to ${memory} bytes (inputs up to ${largestInput} bytes)`, input })
    }
  }
  return { target: target.name, runs, findings, peakMemory }
}
