/**
 * A request's body, read only up to `limit` bytes: undefined when it is longer (the rest is
 * never read, so a huge upload costs nothing).
 */
export async function readBody (request: Request, limit: number): Promise<Uint8Array | undefined> {
  const declared = Number(request.headers.get('content-length') ?? NaN)
  if (declared > limit) {
    await request.body?.cancel()
    return undefined
  }
  const reader = request.body?.getReader()
  const parts: Uint8Array[] = []
  let size = 0
  while (reader !== undefined) {
    const { value, done } = await reader.read()
    if (done) break
    size += value.length
    if (size > limit) {
      await reader.cancel()
      return undefined
    }
    parts.push(value)
  }
  return new Uint8Array(Buffer.concat(parts))
}
