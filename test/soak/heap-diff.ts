// `node test/soak/heap-diff.ts <before.heapsnapshot> <after.heapsnapshot> [--top 25]`: what grew
// in a V8 heap between two snapshots (as `npm run soak -- --heap-snapshots <dir>` takes them of
// the relay), summed by object type and constructor name: count and self size before, after,
// and the difference, largest growth first.
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'

interface Snapshot {
  snapshot: { meta: { node_fields: string[], node_types: [string[], ...unknown[]] } }
  nodes: number[]
  strings: string[]
}

/** Count and self size of every (type, name) group of a snapshot's objects. */
async function groups (file: string): Promise<Map<string, { count: number, bytes: number }>> {
  const data = JSON.parse(await readFile(file, 'utf8')) as Snapshot
  const fields = data.snapshot.meta.node_fields
  const width = fields.length
  const typeAt = fields.indexOf('type')
  const nameAt = fields.indexOf('name')
  const sizeAt = fields.indexOf('self_size')
  const typeNames = data.snapshot.meta.node_types[0]
  const out = new Map<string, { count: number, bytes: number }>()
  for (let i = 0; i < data.nodes.length; i += width) {
    const type = typeNames[data.nodes[i + typeAt]]
    // Strings and code are grouped by their type alone; objects by their constructor's name.
    const name = type === 'object' || type === 'closure' || type === 'native' ? data.strings[data.nodes[i + nameAt]] : ''
    const key = `${type} ${name}`.trim()
    const group = out.get(key) ?? { count: 0, bytes: 0 }
    group.count++
    group.bytes += data.nodes[i + sizeAt]
    out.set(key, group)
  }
  return out
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } })
if (positionals.length !== 2) {
  console.error('usage: node test/soak/heap-diff.ts <before.heapsnapshot> <after.heapsnapshot> [--top 25]')
  process.exit(2)
}
const [before, after] = await Promise.all(positionals.map(groups))
const rows = [...new Set([...before.keys(), ...after.keys()])].map(key => {
  const b = before.get(key) ?? { count: 0, bytes: 0 }
  const a = after.get(key) ?? { count: 0, bytes: 0 }
  return { key, b, a, grew: a.bytes - b.bytes }
}).sort((x, y) => y.grew - x.grew).slice(0, Number(values.top))
const total = (m: Map<string, { bytes: number }>): number => [...m.values()].reduce((s, g) => s + g.bytes, 0)
console.log(`heap: ${(total(before) / 1e6).toFixed(1)} MB → ${(total(after) / 1e6).toFixed(1)} MB\n`)
console.log('| type and constructor | count before → after | bytes before → after | grew |')
console.log('|---|---:|---:|---:|')
for (const { key, b, a, grew } of rows) {
  console.log(`| ${key.slice(0, 60)} | ${b.count} → ${a.count} | ${(b.bytes / 1e3).toFixed(0)} kB → ${(a.bytes / 1e3).toFixed(0)} kB | ${(grew / 1e3).toFixed(0)} kB |`)
}
