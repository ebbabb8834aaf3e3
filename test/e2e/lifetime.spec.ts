import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { chromiumArgs, chromiumPath } from '../support/chromium.ts'

// Playwright's DevTools connection keeps Service Workers alive, so this test runs Chromium
// itself, not driven over CDP: the harness page (test/lifetime/) joins a room, stays silent
// past the idle timeout, then asks again. It reports through console lines on stderr.
const port = Number(process.env.E2E_LIFETIME_PORT ?? 4175)
const idleMs = 60_000

function waitFor (child: ChildProcess, pattern: RegExp, stream: 'stdout' | 'stderr', ms: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = ''
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern} in:\n${seen.slice(-4000)}`)), ms)
    child[stream]?.on('data', (chunk: Buffer) => {
      seen += chunk.toString()
      const match = pattern.exec(seen)
      if (match !== null) { clearTimeout(timer); resolve(match) }
    })
  })
}

test('the node survives an idle kill without heartbeats: same PeerId and rooms after the restart', async () => {
  test.setTimeout(idleMs + 90_000)
  const server = spawn(process.execPath, ['scripts/serve.mjs', '--port', String(port), '--no-relay', '--also', 'test/lifetime'], { stdio: ['ignore', 'pipe', 'pipe'] })
  const profile = mkdtempSync(join(tmpdir(), 'cairn-lifetime-'))
  let chromium: ChildProcess | undefined
  try {
    await waitFor(server, /Cairn is running/, 'stdout', 20_000)
    chromium = spawn(chromiumPath, [...chromiumArgs, `--user-data-dir=${profile}`, '--enable-logging=stderr', '--v=0', `http://ipfs.localhost:${port}/lifetime.html?idle=${idleMs}`], { stdio: ['ignore', 'ignore', 'pipe'] })
    const reports: Array<Record<string, unknown>> = []
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no final report; got ${JSON.stringify(reports)}`)), idleMs + 75_000)
      let buffer = ''
      chromium?.stderr?.on('data', (chunk: Buffer) => {
        buffer += chunk.toString()
        for (const match of buffer.matchAll(/LIFETIME (\{.*?\})", source/g)) {
          const report = JSON.parse(match[1].replace(/\\"/g, '"')) as Record<string, unknown>
          if (reports.some(r => r.phase === report.phase)) continue
          reports.push(report)
          if (report.phase !== 'before') { clearTimeout(timer); resolve() }
        }
      })
    })
    await done
    const before = reports.find(r => r.phase === 'before')
    const after = reports.find(r => r.phase === 'after')
    expect(reports.find(r => r.phase === 'error')).toBeUndefined()
    expect(before?.rooms).toEqual(['lifetime room'])
    // A new start time: the browser did stop the idle worker, and the next message restarted it.
    expect(after?.startedAt).not.toBe(before?.startedAt)
    expect(after?.peerId).toBe(before?.peerId)
    expect(after?.rooms).toEqual(['lifetime room'])
  } finally {
    chromium?.kill('SIGTERM')
    server.kill('SIGTERM')
    rmSync(profile, { recursive: true, force: true })
  }
})
