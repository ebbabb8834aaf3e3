/** A byte count for people: 1.5 KiB, 3.2 MiB. */
export function formatBytes (n: number): string {
  if (n < 1024) return `${n} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let value = n / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++ }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}

/** Line and column (1-based) of a UTF-8 byte offset in `text`. */
export function lineAndColumn (text: string, byteOffset: number): { line: number, column: number } {
  const bytes = new TextEncoder().encode(text)
  const before = new TextDecoder().decode(bytes.subarray(0, byteOffset))
  const lines = before.split('\n')
  return { line: lines.length, column: [...lines[lines.length - 1]].length + 1 }
}
