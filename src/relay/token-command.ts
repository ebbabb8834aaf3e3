import { parseArgs } from 'node:util'
import { tokenFile } from './home/home-node.ts'
import { DEFAULT_QUOTA, TokenError, TokenStore } from './home/tokens.ts'
import { DEFAULT_HOME_DIR, RelayUsageError } from './options.ts'

function whole (flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < 1) throw new RelayUsageError(`--${flag} needs a whole number ≥ 1, got "${value}"`)
  return n
}

function label (positionals: string[], action: string): string {
  const given = positionals[1]
  if (given === undefined || positionals.length > 2) throw new RelayUsageError(`token ${action} takes one label, e.g. "token ${action} my-phone"`)
  return given
}

/**
 * `npm run relay -- token add|list|rotate|revoke …`: manages the home node's access tokens.
 * A running relay sees the change at its next request. Returns the lines to print; a new
 * secret is printed once and kept nowhere but in the person's hands (the node keeps a hash).
 */
export async function runTokenCommand (args: string[]): Promise<string[]> {
  let parsed
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: { home: { type: 'string' }, 'quota-bytes': { type: 'string' }, 'quota-pins': { type: 'string' } }
    })
  } catch (err) {
    throw new RelayUsageError((err as Error).message)
  }
  const { values, positionals } = parsed
  const store = new TokenStore(tokenFile(values.home ?? DEFAULT_HOME_DIR))
  await store.load()
  const action = positionals[0]
  try {
    if (action === 'list') {
      const tokens = store.list()
      if (tokens.length === 0) return ['no tokens yet: npm run relay -- token add <label>']
      return tokens.map(t => `${t.label}\tid ${t.id}\tcreated ${t.created}\tquota ${t.quota.bytes} bytes, ${t.quota.pins} pins`)
    }
    if (action === 'add' || action === 'rotate') {
      const quota = { bytes: whole('quota-bytes', values['quota-bytes'], DEFAULT_QUOTA.bytes), pins: whole('quota-pins', values['quota-pins'], DEFAULT_QUOTA.pins) }
      const name = label(positionals, action)
      const { token, secret } = action === 'add' ? await store.add(name, quota) : await store.rotate(name, quota)
      return [`token for "${token.label}" (id ${token.id}); it is shown this once, keep it:`, secret]
    }
    if (action === 'revoke') {
      const token = await store.revoke(label(positionals, action))
      return [`revoked "${token.label}"; a running relay unpins what it kept within seconds`]
    }
  } catch (err) {
    if (err instanceof TokenError) throw new RelayUsageError(err.message)
    throw err
  }
  throw new RelayUsageError(`token takes add, list, rotate or revoke, got "${action ?? ''}"`)
}
