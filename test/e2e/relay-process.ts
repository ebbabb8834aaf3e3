import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The bundled relay run as `npm run relay` runs it, in a child process the test can stop. */
export class RelayProcess {
  readonly keyFile = join(mkdtempSync(join(tmpdir(), 'cairn-relay-')), 'key')
  readonly port: number
  private child: ChildProcess | undefined
  multiaddr = ''
  output = ''

  constructor (port: number) {
    this.port = port
  }

  /** Starts the relay and resolves with its multiaddr once it listens. */
  async start (): Promise<string> {
    const child = spawn(process.execPath, ['src/relay/main.ts', '--port', String(this.port), '--key-file', this.keyFile, '--relayed-duration', '0', '--relayed-data', '0', '--archive-rooms'], { stdio: ['ignore', 'pipe', 'pipe'] })
    this.child = child
    this.multiaddr = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`relay did not start:\n${this.output}`)), 20_000)
      const onData = (chunk: Buffer): void => {
        this.output += chunk.toString()
        const found = /listening on (\S+)/.exec(this.output)
        if (found !== null) { clearTimeout(timer); resolve(found[1]) }
      }
      child.stdout?.on('data', onData)
      child.stderr?.on('data', (chunk: Buffer) => { this.output += chunk.toString() })
      child.on('exit', code => { clearTimeout(timer); reject(new Error(`relay exited with ${code}:\n${this.output}`)) })
    })
    return this.multiaddr
  }

  /** Stops it with SIGTERM and resolves with its exit code. */
  async stop (): Promise<number | null> {
    const child = this.child
    if (child === undefined || child.exitCode !== null) return child?.exitCode ?? null
    this.child = undefined
    return new Promise(resolve => {
      child.once('exit', code => resolve(code))
      child.kill('SIGTERM')
    })
  }
}
