#!/usr/bin/env node
// Fuzzes the WASM decoders and the CAR reader, with @ipld/* and @ipld/car as oracles.
//
//   npm run fuzz -- --seconds N [--target dag-cbor|dag-json|dag-pb|car|room|ipns-record|redirects] [--seed S]
//   npm run fuzz -- --replay fuzz-findings/FILE.json [...]   check saved reproducers again
//
// Each target runs N seconds (default 60). Findings are written to fuzz-findings/ as one
// JSON file each (target, seed, problem, input as hex); the exit code is 1 when there are any.
// Node.js runs the TypeScript sources directly (type stripping, Node >= 22.18).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { parseArgs } from 'node:util'
import { load } from '../src/hotpath/module.ts'
import { fuzzTargets } from '../test/fuzz/corpus.ts'
import { fuzz } from '../test/fuzz/run.ts'
import { Rng } from '../test/fuzz/rng.ts'

const usage = 'usage: npm run fuzz -- [--seconds N] [--target dag-cbor|dag-json|dag-pb|car|room|ipns-record|redirects] [--seed S] | --replay FILE...'
let options
let positionals
try {
  ({ values: options, positionals } = parseArgs({ allowPositionals: true, options: { seconds: { type: 'string', default: '60' }, target: { type: 'string' }, seed: { type: 'string' }, replay: { type: 'boolean' } } }))
} catch (err) {
  console.error(`${err.message}\n${usage}`)
  process.exit(2)
}
const seconds = Number(options.seconds)
const seed = options.seed === undefined ? Date.now() % 0x1_0000_0000 : Number(options.seed)
if (!(seconds > 0) || !Number.isInteger(seed)) {
  console.error(`--seconds must be a positive number and --seed an integer\n${usage}`)
  process.exit(2)
}
const targets = fuzzTargets().filter(t => options.target === undefined || t.name === options.target)
if (targets.length === 0) {
  console.error(`no target named ${options.target}\n${usage}`)
  process.exit(2)
}

await load(() => readFileSync(new URL('../wasm/cairn_hotpath.wasm', import.meta.url)))

if (options.replay) {
  let failing = 0
  for (const file of positionals) {
    const finding = JSON.parse(readFileSync(file, 'utf8'))
    const target = targets.find(t => t.name === finding.target) ?? fuzzTargets().find(t => t.name === finding.target)
    const problem = await target.check(Uint8Array.from(Buffer.from(finding.input, 'hex')), new Rng(finding.seed))
    console.log(`${file}: ${problem ?? 'passes'}`)
    if (problem !== undefined) failing++
  }
  process.exit(failing === 0 ? 0 : 1)
}
const out = new URL('../fuzz-findings/', import.meta.url)
let total = 0
console.log(`seed ${seed}, ${seconds} s per target`)
for (const target of targets) {
  const report = await fuzz(target, { seed, seconds, maxFindings: 50 })
  console.log(`${target.name.padEnd(9)} ${String(report.runs).padStart(9)} inputs  ${report.findings.length} findings  peak module memory ${(report.peakMemory / 1048576).toFixed(1)} MiB`)
  for (const finding of report.findings) {
    const hex = Buffer.from(finding.input).toString('hex')
    const name = `${finding.target}-${createHash('sha256').update(hex).digest('hex').slice(0, 12)}.json`
    mkdirSync(out, { recursive: true })
    writeFileSync(new URL(name, out), JSON.stringify({ ...finding, input: hex }, null, 2) + '\n')
    console.log(`  ${finding.problem}\n    fuzz-findings/${name}`)
  }
  total += report.findings.length
}
process.exit(total === 0 ? 0 : 1)
