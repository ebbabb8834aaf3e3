// Loaded into the relay by `npm run soak` (`node --import`): prints how long the relay's event
// loop was held up, every 5 s, as `soak-loop-delay p99=<ms> max=<ms>`. A message that comes
// while the loop is held waits; this tells the relay's share of the chat latency from the
// harness's.
import { monitorEventLoopDelay } from 'node:perf_hooks'

const delay = monitorEventLoopDelay({ resolution: 10 })
delay.enable()
setInterval(() => {
  process.stdout.write(`soak-loop-delay p99=${(delay.percentile(99) / 1e6).toFixed(1)} max=${(delay.max / 1e6).toFixed(1)}\n`)
  delay.reset()
}, 5_000).unref()
