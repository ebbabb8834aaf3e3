/** Line and column (1-based) of a UTF-8 byte offset in `text`. */
export function lineAndColumn (text: string, byteOffset: number): { line: number, column: number } {
  const bytes = new TextEncoder().encode(text)
  const before = new TextDecoder().decode(bytes.subarray(0, byteOffset))
  const lines = before.split('\n')
  return { line: lines.length, column: [...lines[lines.length - 1]].length + 1 }
}

/** Who sent the blocks of a fetch, most first: gateways by host, peers by the end of their PeerId. */
export function sourcesText (sources: Record<string, number>): string {
  return Object.entries(sources).sort((a, b) => b[1] - a[1])
    .map(([from, n]) => `${from.startsWith('http') ? new URL(from).host : `…${from.slice(-8)}`} (${n})`).join(', ')
}
