/**
 * A number with its noun in the right form for it: `count(1, 'pin')` is "1 pin",
 * `count(2, 'pin')` "2 pins", `count(3, 'entry', 'entries')` "3 entries". Numbers are grouped
 * by thousands as the reader's language writes them.
 */
export function count (n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? singular : plural}`
}
