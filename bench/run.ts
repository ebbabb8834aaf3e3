import { ready } from '../src/hotpath/index.ts'
import { blockstoreBenchmarks } from './blockstore.bench.ts'
import { carImportBenchmarks } from './car-import.bench.ts'
import { gcBenchmarks } from './gc.bench.ts'
import { hotpathBenchmarks } from './hotpath.bench.ts'
import { unixfsImportBenchmarks } from './unixfs-import.bench.ts'
import type { BenchRow } from './harness.ts'

declare global {
  interface Window { benchDone?: { rows: BenchRow[], userAgent: string } | { error: string } }
}

try {
  await ready()
  const only = new URLSearchParams(location.search).get('only')
  const rows = only === 'gc'
    ? await gcBenchmarks()
    : only === 'unixfs'
      ? await unixfsImportBenchmarks()
      : [...await hotpathBenchmarks(), ...await blockstoreBenchmarks(), ...await carImportBenchmarks(), ...await gcBenchmarks(), ...await unixfsImportBenchmarks()]
  window.benchDone = { rows, userAgent: navigator.userAgent }
} catch (err) {
  window.benchDone = { error: String((err as Error).stack ?? err) }
}
document.getElementById('out')!.textContent = 'done'
