import { spawn, type ChildProcess } from 'node:child_process'
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// `npm start`'s server, started for real: the subdomain gateway's host rules as a browser
// (or curl) meets them, by Host header. Without a relay; no built app is needed for these answers
// (a fixture site's files stand in for the app's at its origin).
let server: ChildProcess
let port = 0

beforeAll(async () => {
  server = spawn(process.execPath, ['scripts/serve.mjs', '--port', '0', '--no-relay', '--also', 'test/e2e/sites/website'], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve.mjs did not start: ${output}`)), 20_000)
    server.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /running at http:\/\/ipfs\.localhost:(\d+)\//.exec(output)
      if (match !== null) { clearTimeout(timer); resolve(Number(match[1])) }
    })
    server.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  })
})

afterAll(() => { server.kill('SIGTERM') })

/** One GET with the given Host header; never follows redirects. */
async function get (host: string, path: string): Promise<{ status: number, location?: string, body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: `${host}:${port}` } }, res => {
      let body = ''
      res.on('data', (chunk: Buffer) => { body += chunk.toString() })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** The headers of a GET with the given Host header. */
async function headers (host: string, path: string): Promise<Record<string, string | string[] | undefined>> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: `${host}:${port}` } }, res => {
      res.resume()
      res.on('end', () => resolve(res.headers))
    })
    req.on('error', reject)
    req.end()
  })
}

const CIDV0 = 'QmZULkCELmmk5XNfCgTnCyFgAVxBRBXyDHGGMVoLFLiXEN'
const CIDV1 = 'bafybeiffndsajwhk3lwjewwdxqntmjm4b5wxaaanokonsggenkbw6slwk4'

describe('npm start\'s server: the subdomain gateway\'s hosts', () => {
  it('moves a content path on the app\'s host to the root\'s subdomain, path and query kept', async () => {
    expect(await get('ipfs.localhost', `/ipfs/${CIDV0}/a/b?c=d`)).toMatchObject({ status: 301, location: `http://${CIDV1}.ipfs.localhost:${port}/a/b?c=d` })
    expect(await get('127.0.0.1', '/ipns/docs.ipfs.tech/x')).toMatchObject({ status: 301, location: `http://docs-ipfs-tech.ipns.ipfs.localhost:${port}/x` })
  })

  it('redirects other spellings of a root to the canonical label, refuses what cannot be one with the reason', async () => {
    expect(await get(`${CIDV0}.ipfs.localhost`, '/p')).toMatchObject({ status: 301, location: `http://${CIDV1}.ipfs.localhost:${port}/p` })
    const lowered = await get(`${CIDV0.toLowerCase()}.ipfs.localhost`, '/')
    expect(lowered.status).toBe(400)
    expect(lowered.body).toContain('case-sensitive')
    expect(await get('docs-ipfs-tech.ipns.localhost', '/')).toMatchObject({ status: 301, location: `http://docs-ipfs-tech.ipns.ipfs.localhost:${port}/` })
  })

  it('sends a site\'s pages to the app that frames it, and keeps /relay.json and the frame files apart', async () => {
    expect(await get(`${CIDV1}.ipfs.localhost`, '/deep/page?q=1')).toMatchObject({ status: 302, location: `http://ipfs.localhost:${port}/#/site/${CIDV1}/deep/page?q=1` })
    expect(await get('docs-ipfs-tech.ipns.ipfs.localhost', '/')).toMatchObject({ status: 302, location: `http://ipfs.localhost:${port}/#/site/ipns/docs-ipfs-tech/` })
    expect((await get('ipfs.localhost', '/_cairn/frame.html')).status).toBe(404)
    expect((await get('ipfs.localhost', '/relay.json')).status).toBe(404) // started without a relay
  })

  it('lets no other origin frame the app (its pages say frame-ancestors \'self\')', async () => {
    // A file served at the app's origin (from --also: no built app is needed).
    const app = await headers('ipfs.localhost', '/style.css')
    expect(app['content-security-policy']).toBe("frame-ancestors 'self'")
  })
})
