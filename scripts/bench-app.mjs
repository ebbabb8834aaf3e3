// Shared by the benchmarks that drive the built app: serving it, calling its node over RPC from
// a page, waiting for a condition.
import { spawn, spawnSync } from 'node:child_process'

/** Builds the app as `npm start` does. */
export function buildApp () {
  const build = spawnSync('npm', ['run', 'build'], { encoding: 'utf8', shell: process.platform === 'win32' })
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`)
}

/** The built app, served by `scripts/serve.mjs` on a free port, without its own relay. */
export async function serveApp () {
  const child = spawn(process.execPath, ['scripts/serve.mjs', '--port', '0', '--no-relay'], { stdio: ['ignore', 'pipe', 'inherit'] })
  let output = ''
  child.stdout.setEncoding('utf8')
  const port = await new Promise((resolve, reject) => {
    child.once('exit', code => reject(new Error(`serve.mjs exited (${code}): ${output}`)))
    child.stdout.on('data', chunk => {
      output += chunk
      const found = /running at http:\/\/[^:]+:(\d+)\//.exec(output)
      if (found !== null) resolve(Number(found[1]))
    })
  })
  child.removeAllListeners('exit')
  return { origin: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') }
}

/** An init script for app pages: `benchRpc(method, params)` calls the Service Worker's node. */
export function installBenchRpc () {
  let nextId = 1
  globalThis.benchRpc = (method, params) => new Promise((resolve, reject) => {
    const channel = new MessageChannel()
    const timer = setTimeout(() => reject(new Error(`${method}: no answer in 120 s`)), 120_000)
    channel.port1.onmessage = ({ data }) => {
      if (data.kind === 'event') return
      clearTimeout(timer)
      channel.port1.close()
      if (data.kind === 'result') resolve(data.result)
      else reject(new Error(`${method}: ${data.error.name}: ${data.error.message}`))
    }
    navigator.serviceWorker.controller.postMessage({ tag: 'cairn-rpc/1', id: nextId++, method, params }, [channel.port2])
  })
}

/** Polls `check` every 250 ms until it is true; throws after `ms`. */
export async function until (check, what, ms = 60_000) {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 250))
  }
}
