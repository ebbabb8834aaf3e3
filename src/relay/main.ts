/**
 * `npm run relay -- --port 4003 --announce …`: the bundled relay on its own. Prints its
 * multiaddrs and its home node's HTTP address, logs what it does, and stops cleanly on
 * SIGINT/SIGTERM. `npm run relay -- token …` manages the home node's access tokens.
 */
import { parseRelayArgs, RELAY_USAGE, RelayUsageError } from './options.ts'
import { startRelay } from './relay.ts'
import { runTokenCommand } from './token-command.ts'

function stamp (line: string): string {
  return `${new Date().toISOString()} relay: ${line}`
}

async function main (): Promise<void> {
  const args = process.argv.slice(2)
  let options
  try {
    if (args[0] === 'token') {
      for (const line of await runTokenCommand(args.slice(1))) console.log(line)
      return
    }
    options = parseRelayArgs(args)
  } catch (err) {
    if (!(err instanceof RelayUsageError)) throw err
    console.error(`relay: ${err.message}\n\n${RELAY_USAGE}`)
    process.exit(2)
  }
  if (options === 'help') {
    console.log(RELAY_USAGE)
    return
  }
  const { quiet, home, ...rest } = options
  const relay = await startRelay({
    ...rest,
    ...(home === undefined ? {} : { home: { ...home, corsOrigins: () => home.corsOrigins } }),
    log: line => { if (!quiet) console.log(stamp(line)) }
  })
  console.log(stamp(`PeerId ${relay.peerId}`))
  for (const address of relay.multiaddrs) console.log(stamp(`listening on ${address}`))
  if (relay.home !== undefined) console.log(stamp(`pinning service, trustless gateway and routing at ${relay.home.http.url}`))
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
