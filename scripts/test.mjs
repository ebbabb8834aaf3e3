#!/usr/bin/env node
// Runs every test suite and ends with one line: "N passed, N failed".
//   1. unit tests (Vitest, Node.js): the WASM hot path against fixtures and reference codecs, node logic, RPC
//   2. browser tests (Vitest, Chromium): the IndexedDB blockstore, the interface-blockstore suite, CAR import
//   3. end-to-end tests (Playwright, Chromium): the built app with its real Service Workers, the
//      bundled relay, rooms between browser profiles, WebRTC, and the worker's lifetime
//   4. Rust unit tests (cargo test), when a Rust toolchain is installed
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'

const results = 'test-results'
rmSync(results, { recursive: true, force: true })
mkdirSync(results, { recursive: true })

const bin = name => `node_modules/.bin/${name}`
function run (label, command, args) {
  console.log(`\n=== ${label}`)
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } })
  if (result.error != null) console.error(`${label}: ${result.error.message}`)
  return result.status ?? 1
}

function vitestCounts (file) {
  if (!existsSync(file)) return null
  const report = JSON.parse(readFileSync(file, 'utf8'))
  return { passed: report.numPassedTests, failed: report.numFailedTests + (report.numTotalTestSuites > 0 && report.numTotalTests === 0 ? 1 : 0) }
}

function playwrightCounts (file) {
  if (!existsSync(file)) return null
  const { stats } = JSON.parse(readFileSync(file, 'utf8'))
  return { passed: stats.expected + stats.flaky, failed: stats.unexpected }
}

const suites = []
let status = run('unit tests (Node.js)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}/unit.json`])
suites.push(['unit', vitestCounts(`${results}/unit.json`), status])

status = run('browser tests (Chromium)', bin('vitest'), ['run', '-c', 'vitest.browser.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${results}/browser.json`])
suites.push(['browser', vitestCounts(`${results}/browser.json`), status])

// The app, the subdomain gateway's site worker and its frame script: `npm run build` is the
// one place that knows the build sequence.
status = run('build the app (npm run build)', 'npm', ['run', 'build', '--silent'])
if (status === 0) {
  // WebRTC gathers candidates on every interface: where we may, run the browsers in a
  // network namespace with only loopback, so no test traffic can leave the machine.
  const isolated = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' }).status === 0
  if (!isolated) console.log('\n(no network namespace available: end-to-end tests run on the host network, loopback addresses only)')
  status = isolated
    ? run('end-to-end tests (Chromium, loopback-only network namespace)', 'unshare', ['-n', 'sh', '-c', `ip link set lo up && exec ${bin('playwright')} test`])
    : run('end-to-end tests (Chromium)', bin('playwright'), ['test'])
  suites.push(['e2e', playwrightCounts(`${results}/e2e.json`), status])
} else {
  suites.push(['e2e', null, status])
}

const hasCargo = spawnSync('cargo', ['--version'], { stdio: 'ignore' }).status === 0
if (hasCargo) {
  console.log('\n=== Rust unit tests (cargo test)')
  const cargo = spawnSync('node', ['scripts/build-wasm.mjs', '--test'], { encoding: 'utf8' })
  process.stdout.write(cargo.stdout)
  process.stderr.write(cargo.stderr)
  const counts = { passed: 0, failed: 0 }
  for (const m of cargo.stdout.matchAll(/test result: \w+\. (\d+) passed; (\d+) failed/g)) {
    counts.passed += Number(m[1])
    counts.failed += Number(m[2])
  }
  suites.push(['rust', counts, cargo.status ?? 1])
} else {
  console.log('\n=== Rust unit tests skipped: no cargo on PATH (see README, "Rebuilding the WASM module")')
}

let passed = 0
let failed = 0
console.log('\n=== summary')
for (const [name, counts, code] of suites) {
  // A suite that crashed before reporting counts as one failure, never as nothing.
  const c = counts ?? { passed: 0, failed: 1 }
  const extra = code !== 0 && c.failed === 0 ? 1 : 0
  passed += c.passed
  failed += c.failed + extra
  console.log(`${name.padEnd(8)} ${c.passed} passed, ${c.failed + extra} failed`)
}
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 && passed > 0 ? 0 : 1)
