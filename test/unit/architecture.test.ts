import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

/**
 * The tree as an import graph (type-only imports included): no file may reach itself, and
 * no folder of `src/` may reach itself through other folders. Runtime boundaries (which
 * folder may import which) are ESLint rules; this checks what a rule cannot see: cycles.
 */
const root = fileURLToPath(new URL('../../', import.meta.url))
const src = join(root, 'src')

function sources (dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sources(path)
    return /\.tsx?$/.test(entry.name) ? [path] : []
  })
}

/** Relative imports and re-exports of one file, resolved to files. */
function importsOf (file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const out: string[] = []
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const target = normalize(join(dirname(file), match[1]))
    if (/\.tsx?$/.test(target)) out.push(target)
  }
  return out
}

/** Every cycle's members, by Tarjan's strongly connected components. */
function cycles (graph: Map<string, string[]>): string[][] {
  let index = 0
  const indexOf = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (node: string): void => {
    indexOf.set(node, index)
    low.set(node, index++)
    stack.push(node)
    onStack.add(node)
    for (const next of graph.get(node) ?? []) {
      if (!indexOf.has(next)) {
        visit(next)
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number))
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, indexOf.get(next) as number))
      }
    }
    if (low.get(node) === indexOf.get(node)) {
      const members: string[] = []
      let member: string
      do {
        member = stack.pop() as string
        onStack.delete(member)
        members.push(member)
      } while (member !== node)
      if (members.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(members.sort())
    }
  }
  for (const node of graph.keys()) if (!indexOf.has(node)) visit(node)
  return found
}

describe('architecture', () => {
  const files = sources(src)
  const fileGraph = new Map(files.map(file => [relative(root, file), importsOf(file).map(t => relative(root, t))]))

  it('reads the whole tree', () => {
    expect(files.length).toBeGreaterThan(100)
    expect(fileGraph.get('src/sw/messages/rpc.ts')).toContain('src/rpc/server.ts')
  })

  it('has no import cycles between files', () => {
    expect(cycles(fileGraph)).toEqual([])
  })

  it('has no import cycles between the folders of src/', () => {
    const folderOf = (path: string): string => path.split('/')[1]
    const folders = new Map<string, string[]>()
    for (const [file, targets] of fileGraph) {
      const from = folderOf(file)
      const to = targets.filter(t => t.startsWith('src/')).map(folderOf).filter(f => f !== from)
      folders.set(from, [...new Set([...(folders.get(from) ?? []), ...to])])
    }
    expect(cycles(folders)).toEqual([])
  })

  it('finds a cycle when there is one', () => {
    expect(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c']])
  })
})
