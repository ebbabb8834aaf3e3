/**
 * True for the "not available" error any block source throws (`NotFoundError` by name: from
 * a blockstore, the site channel, or across RPC, where classes do not survive).
 */
export function isNotFound (err: unknown): boolean {
  return (err as { name?: unknown } | null)?.name === 'NotFoundError'
}
