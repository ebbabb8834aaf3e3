/** What `fetchWideFolder` found: wrong answers, each file's time in ms, whether the listing named the last file, and the whole wall time. */
export interface WideFolderResult {
  wrong: string[]
  times: number[]
  listed: boolean
  wallMs: number
}

/**
 * Asks a wide folder (`wide/file-<i>.txt` holding `file number <i>\n`) for its listing and
 * `count` of its `files` at once, from `base`, and checks every answer. Self-contained: its
 * source is handed to a page or frame to run there (the gateway-load test and bench).
 */
export async function fetchWideFolder (count: number, files: number, base: string): Promise<WideFolderResult> {
  const picks = Array.from({ length: count }, (_, i) => Math.floor(i * files / count))
  const times: number[] = []
  const wrong: string[] = []
  const started = performance.now()
  const listing = fetch(`${base}/wide/`).then(async r => (await r.text()).includes(`file-${files - 1}.txt`))
  await Promise.all(picks.map(async i => {
    const at = performance.now()
    const response = await fetch(`${base}/wide/file-${i}.txt`)
    const text = await response.text()
    times.push(performance.now() - at)
    if (response.status !== 200 || text !== `file number ${i}\n`) wrong.push(`${i}: ${response.status} ${text.slice(0, 40)}`)
  }))
  const listed = await listing
  return { wrong, times, listed, wallMs: performance.now() - started }
}
