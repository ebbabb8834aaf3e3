import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

/**
 * The README and `docs/` as a set of pages: every relative link must reach a file of the
 * repository, and an `#anchor` a heading of the page it points to (anchors as GitHub makes
 * them). Every page of `docs/` must be reachable from the README.
 */
const root = fileURLToPath(new URL('../../', import.meta.url))
const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter(name => name.endsWith('.md')).map(name => `docs/${name}`)]

/** The anchors of a Markdown page's headings: lower case, punctuation dropped, spaces as `-`, repeats numbered. */
function anchorsOf (markdown: string): Set<string> {
  const anchors = new Set<string>()
  const counts = new Map<string, number>()
  let fenced = false
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced
    const heading = fenced ? null : /^#{1,6} +(.+?) *#*$/.exec(line)
    if (heading === null) continue
    const slug = heading[1].toLowerCase().replace(/[`*_]/g, '').replace(/[^\p{L}\p{N}\- ]/gu, '').replace(/ /g, '-')
    const seen = counts.get(slug) ?? 0
    counts.set(slug, seen + 1)
    anchors.add(seen === 0 ? slug : `${slug}-${seen}`)
  }
  return anchors
}

/** The relative link targets of a Markdown page (outside code blocks and code spans). */
function linksOf (markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '')
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map(m => m[1]).filter(target => !/^[a-z]+:/i.test(target))
}

describe('the documentation\'s links', () => {
  it('heading anchors are made as GitHub makes them', () => {
    expect([...anchorsOf('# Cairn\n## Rebuilding the WASM module\n## What you can do\n## What you can do\n```\n# not a heading\n```\n## `dups=y`, bounded')])
      .toEqual(['cairn', 'rebuilding-the-wasm-module', 'what-you-can-do', 'what-you-can-do-1', 'dupsy-bounded'])
  })

  for (const page of pages) {
    it(`every relative link in ${page} resolves, anchors included`, () => {
      const text = readFileSync(join(root, page), 'utf8')
      const dead: string[] = []
      for (const link of linksOf(text)) {
        const [path, anchor] = link.split('#') as [string, string | undefined]
        const target = path === '' ? join(root, page) : join(root, dirname(page), decodeURIComponent(path))
        if (!existsSync(target)) {
          dead.push(`${link}: no such file`)
          continue
        }
        if (anchor !== undefined && (statSync(target).isDirectory() || !anchorsOf(readFileSync(target, 'utf8')).has(anchor))) {
          dead.push(`${link}: no heading #${anchor} in ${relative(root, target)}`)
        }
      }
      expect(dead).toEqual([])
    })
  }

  it('every page of docs/ is linked from the README', () => {
    const linked = new Set(linksOf(readFileSync(join(root, 'README.md'), 'utf8')).map(link => link.split('#')[0]))
    expect(pages.filter(page => page !== 'README.md' && !linked.has(page))).toEqual([])
  })
})
