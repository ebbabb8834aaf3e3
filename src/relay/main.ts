/**
 * `npm run relay -- --port 4003 --announce …`: the bundled relay on its own. Prints its
 * multiaddrs, logs what it does, and stops cleanly on SIGINT/SIGTERM.
 */
import { parseRelayArgs, RELAY_USAGE, RelayUsageError } from './options.ts'
import { startRelay } from './relay.ts'

function stamp (line: string): string {
  return `${new Date().toISOString()} relay: ${line}`
}

async function main (): Promise<void> {
  let options
  try {
    options = parseRelayArgs(process.argv.slice(2))
  } catch (err) {
    if (!(err instanceof RelayUsageError)) throw err
    console.error(`relay: ${err.message}\n\n${RELAY_USAGE}`)
    process.exit(2)
  }
  if (options === 'help') {
    console.log(RELAY_USAGE)
    return
  }
  const quiet = options.quiet
  const relay = await startRelay({ ...options, log: line => { if (!quiet) console.log(stamp(line)) } })
  console.log(stamp(`PeerId ${relay.peerId}`))
  for (const address of relay.multiaddrs) console.log(stamp(`listening on ${address}`))
  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    console.log(stamp(`${signal}: shutting down`))
    relay.stop().then(() => {
      console.log(stamp('stopped'))
      process.exit(0)
    }, (err: Error) => {
      console.error(stamp(`stop failed: ${err.message}`))
      process.exit(1)
    })
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

main().catch((err: Error) => {
  console.error(stamp(`failed to start: ${err.message}`))
  process.exit(1)
})
