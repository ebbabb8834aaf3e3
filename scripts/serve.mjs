#!/usr/bin/env node
// Serves the built app (dist/) on localhost.
//   node scripts/serve.mjs [--port 5173] [--host 127.0.0.1]
// Files are read on every request, so a rebuilt app (or a new sw.js) is served at once.
import { createServer } from 'node:http'
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, resolve } from 'node:path'
import { parseArgs } from 'node:util'

const { values } = parseArgs({ options: { port: { type: 'string', default: process.env.PORT ?? '5173' }, host: { type: 'string', default: '127.0.0.1' } } })
const root = resolve('dist')
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json',
  '.map': 'application/json'
}

async function fileFor (pathname) {
  const decoded = decodeURIComponent(pathname)
  const path = normalize(join(root, decoded))
  if (!path.startsWith(root)) return null
  const info = await stat(path).catch(() => null)
  if (info?.isDirectory()) return fileFor(join(decoded, 'index.html'))
  return info?.isFile() ? path : null
}

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const path = await fileFor(url.pathname)
    if (path === null) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n')
      return
    }
    const body = await readFile(path)
    const immutable = url.pathname.startsWith('/assets/')
    res.writeHead(200, {
      'content-type': types[extname(path)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff'
    })
    res.end(req.method === 'HEAD' ? undefined : body)
  } catch (err) {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(`bad request: ${err.message}\n`)
  }
})

server.listen(Number(values.port), values.host, () => {
  const { port } = server.address()
  console.log(`Cairn is running at http://${values.host}:${port}/`)
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)))
