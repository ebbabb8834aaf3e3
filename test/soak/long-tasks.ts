// `node test/soak/long-tasks.ts <relay.cpuprofile> [--over 100] [--top 10]`: the longest
// stretches in which the relay's event loop never went idle (as `npm run soak --
// --relay-cpu-prof <dir>` records them), each with the functions that took most of it (self
// time, garbage collection included) and the frames they were called from. A chat message
// arriving in such a stretch waits for it to end.
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'

interface ProfileNode { id: number, callFrame: { functionName: string, url: string, lineNumber: number }, children?: number[] }
interface Profile { nodes: ProfileNode[], samples: number[], timeDeltas: number[] }

const { values, positionals } = parseArgs({ allowPositionals: true, options: { over: { type: 'string', default: '100' }, top: { type: 'string', default: '10' } } })
if (positionals.length !== 1) {
  console.error('usage: node test/soak/long-tasks.ts <relay.cpuprofile> [--over 100] [--top 10]')
  process.exit(2)
}
const profile = JSON.parse(await readFile(positionals[0], 'utf8')) as Profile
const byId = new Map(profile.nodes.map(n => [n.id, n]))
const parent = new Map<number, number>()
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)

const name = (node: ProfileNode): string => {
  const file = node.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(src|test)\//, '$1/')
  return `${node.callFrame.functionName === '' ? '(anonymous)' : node.callFrame.functionName} ${file}:${node.callFrame.lineNumber + 1}`
}
/** The frames of a sample from the outside in, without the root and the program's own frames. */
const stack = (id: number): string[] => {
  const out: string[] = []
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const node = byId.get(at) as ProfileNode
    if (node.callFrame.functionName !== '(root)') out.unshift(name(node))
  }
  return out
}

// Runs of samples that are not idle, with their total time (a gap of over 20 ms between
// samples means the profiler itself was held up: counted as part of the run).
const runs: Array<{ start: number, ms: number, samples: Array<{ id: number, us: number }> }> = []
let time = 0
let run: (typeof runs)[number] | undefined
profile.samples.forEach((id, i) => {
  const delta = profile.timeDeltas[i] ?? 0
  time += delta
  const idle = byId.get(id)?.callFrame.functionName === '(idle)'
  if (idle) {
    if (run !== undefined) runs.push(run)
    run = undefined
    return
  }
  run ??= { start: time / 1000, ms: 0, samples: [] }
  run.ms += delta / 1000
  run.samples.push({ id, us: delta })
})
if (run !== undefined) runs.push(run)

const over = Number(values.over)
const long = runs.filter(r => r.ms >= over).sort((a, b) => b.ms - a.ms)
const total = runs.reduce((n, r) => n + r.ms, 0)
console.log(`${runs.length} busy stretches, ${(total / 1000).toFixed(1)} s busy in ${(time / 1e6).toFixed(0)} s; ${long.length} of ${over} ms or more\n`)
for (const r of long.slice(0, Number(values.top))) {
  const self = new Map<string, number>()
  const callers = new Map<string, number>()
  for (const { id, us } of r.samples) {
    const frames = stack(id)
    const top = frames.at(-1) ?? '(unknown)'
    self.set(top, (self.get(top) ?? 0) + us)
    // The outermost frames that are the program's own say what the stretch was doing.
    const own = frames.filter(f => / (src|test)\//.test(f)).slice(0, 2).join(' → ') || frames.slice(0, 2).join(' → ')
    callers.set(own, (callers.get(own) ?? 0) + us)
  }
  const list = (m: Map<string, number>): string => [...m].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, us]) => `    ${(us / 1000).toFixed(0).padStart(5)} ms  ${k}`).join('\n')
  console.log(`${r.ms.toFixed(0)} ms at ${(r.start / 1000).toFixed(1)} s\n  self:\n${list(self)}\n  from:\n${list(callers)}\n`)
}
