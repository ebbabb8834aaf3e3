/**
 * The same text, held as one piece. `multiformats` builds its strings (`CID.toString()`, the
 * bases) a character at a time, and V8 keeps such a string as a chain of pieces until
 * something reads it whole: kept as a map key, a CID's 59 characters then cost about 1.6 KB
 * rather than about 120 bytes (measured in Node 24, the same engine as Chromium). Reading it
 * as a number reads it whole, which joins it in place — also the copy `multiformats` caches on
 * the CID. Use it for strings kept long, by the thousand.
 */
export function flatText (text: string): string {
  void Number(text)
  return text
}
