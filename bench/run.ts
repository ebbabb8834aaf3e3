import { ready } from '../src/hotpath/index.ts'
import { blockstoreBenchmarks } from './blockstore.bench.ts'
import { carImportBenchmarks } from './car-import.bench.ts'
import { gatewayBenchmarks } from './gateway.bench.ts'
import { gcBenchmarks } from './gc.bench.ts'
import { hotpathBenchmarks } from './hotpath.bench.ts'
import { unixfsImportBenchmarks } from './unixfs-import.bench.ts'
import type { BenchRow } from './harness.ts'

declare global {
  interface Window { benchDone?: { rows: BenchRow[], userAgent: string } | { error: string } }
}

try {
  await ready()
  // `?only=` runs one group alone (npm run bench -- --only hotpath|blockstore|car|gc|unixfs|gateway).
  const alone: Record<string, () => Promise<BenchRow[]>> = { hotpath: hotpathBenchmarks, blockstore: blockstoreBenchmarks, car: carImportBenchmarks, gc: gcBenchmarks, unixfs: unixfsImportBenchmarks, gateway: gatewayBenchmarks }
  const only = alone[new URLSearchParams(location.search).get('only') ?? '']
  const rows = only !== undefined
    ? await only()
    : [...await hotpathBenchmarks(), ...await blockstoreBenchmarks(), ...await carImportBenchmarks(), ...await gcBenchmarks(), ...await unixfsImportBenchmarks(), ...await gatewayBenchmarks()]
  window.benchDone = { rows, userAgent: navigator.userAgent }
} catch (err) {
  window.benchDone = { error: String((err as Error).stack ?? err) }
}
document.getElementById('out')!.textContent = 'done'
