/** Line and column (1-based) of a UTF-8 byte offset in `text`. */
export function lineAndColumn (text: string, byteOffset: number): { line: number, column: number } {
  const bytes = new TextEncoder().encode(text)
  const before = new TextDecoder().decode(bytes.subarray(0, byteOffset))
  const lines = before.split('\n')
  return { line: lines.length, column: [...lines[lines.length - 1]].length + 1 }
}
