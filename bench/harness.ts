/** One measured row: a named implementation at one input size. */
export interface BenchRow {
  group: string
  case: string
  impl: string
  /** Operations per second (median of the samples). */
  opsPerSec: number
  /** Bytes processed per operation, for throughput columns. */
  bytesPerOp: number
  /** Latencies or spread, printed beside the row. */
  note?: string
}

/** How long each sample runs and how many samples are taken. */
const SAMPLE_MS = 250
const SAMPLES = 5

/**
 * Runs `fn` repeatedly in samples of ~250 ms after a warm-up and returns the median rate.
 * Async functions are awaited one at a time, as a caller would.
 */
export async function measure (fn: () => unknown): Promise<number> {
  const warmEnd = performance.now() + 100
  while (performance.now() < warmEnd) await fn()
  const rates: number[] = []
  for (let s = 0; s < SAMPLES; s++) {
    let ops = 0
    const start = performance.now()
    let now = start
    while (now - start < SAMPLE_MS) {
      await fn()
      ops++
      now = performance.now()
    }
    rates.push(ops / ((now - start) / 1000))
  }
  rates.sort((a, b) => a - b)
  return rates[Math.floor(rates.length / 2)]
}

/** Consumes an iterable. */
export async function drain (it: AsyncIterable<unknown> | Iterable<unknown>): Promise<void> {
  for await (const _ of it) { /* consume */ }
}

/** Median seconds over `rounds` runs of `run` (each gets its round number, e.g. for a fresh database). */
export async function timed (run: (round: number) => Promise<void>, rounds = 3): Promise<number> {
  const times: number[] = []
  for (let r = 0; r < rounds; r++) {
    const start = performance.now()
    await run(r)
    times.push((performance.now() - start) / 1000)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]
}
