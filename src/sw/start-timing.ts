/// <reference lib="webworker" />
/**
 * How this worker's start went, told once: the first gateway answer after a start carries it
 * as a `Server-Timing` header (DevTools shows it with the request), so a slow first answer
 * says where its time went. Durations are in ms: `script` (evaluating the worker's script),
 * `dispatch` (from then to the first fetch event), each start step timed with `timeStep`, and
 * `answer` (from the fetch event to the response). `origin` gives the worker's time origin
 * (ms since the epoch), so a page can tell how long the browser took to start the worker.
 */

let evaluatedAt: number | undefined
const steps: Array<[name: string, ms: number]> = []
let told = false

/** Marks the end of the worker script's evaluation (call it last in the script). */
export function markScriptEvaluated (): void {
  evaluatedAt ??= performance.now()
}

/** Runs one start step and keeps its duration under `name`. */
export async function timeStep<T> (name: string, run: () => Promise<T>): Promise<T> {
  const at = performance.now()
  try {
    return await run()
  } finally {
    steps.push([name, performance.now() - at])
  }
}

/**
 * The `Server-Timing` value for an answer to a fetch event that arrived at `fetchAt`
 * (`performance.now()`): the start's steps for the first answer after a start, then only the
 * answer's own time.
 */
export function serverTiming (fetchAt: number): string {
  const answer = `answer;dur=${(performance.now() - fetchAt).toFixed(1)}`
  if (told || evaluatedAt === undefined) return answer
  told = true
  return [
    `origin;desc="${performance.timeOrigin.toFixed(1)}"`,
    `script;dur=${evaluatedAt.toFixed(1)}`,
    `dispatch;dur=${Math.max(0, fetchAt - evaluatedAt).toFixed(1)}`,
    ...steps.map(([name, ms]) => `${name};dur=${ms.toFixed(1)}`),
    answer
  ].join(', ')
}
