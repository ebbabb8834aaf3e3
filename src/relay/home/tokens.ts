import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { writeFileAtomically } from './atomic-file.ts'

/** What one device may keep on the home node. */
export interface Quota {
  /** Bytes of all its pins together (each pin's DAG counted whole). */
  bytes: number
  /** Pins at once (any status but failed). */
  pins: number
}

/** Defaults for a new token: 10 GiB, 10 000 pins. */
export const DEFAULT_QUOTA: Quota = { bytes: 10 * 1024 ** 3, pins: 10_000 }

/** A device's access, as kept on disk: its secret only as a SHA-256 hash. */
export interface TokenRecord {
  /** Stable: pins belong to it, so a rotated secret keeps them. */
  id: string
  label: string
  /** Hex SHA-256 of the secret. */
  hash: string
  created: string
  quota: Quota
}

/** A command the token store cannot carry out (an unknown label, a duplicate). */
export class TokenError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'TokenError'
  }
}

function hashOf (secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}

/** A fresh secret: 32 random bytes, base64url. */
function newSecret (): string {
  return randomBytes(32).toString('base64url')
}

/**
 * The home node's access tokens (Pinning Service API bearer tokens, one per device), kept in
 * one JSON file. Secrets are shown once, when made, and stored only hashed; nothing here
 * logs them. A request's token is looked up by its hash.
 */
export class TokenStore {
  private readonly path: string
  private tokens: TokenRecord[] = []
  private byHash = new Map<string, TokenRecord>()
  /** The file's modification time when last read: another process (the token command) may change it. */
  private readAt = -1

  constructor (path: string) {
    this.path = path
  }

  /** Reads the file (none yet: no tokens). */
  async load (): Promise<void> {
    const text = await readFile(this.path, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '[]'
      throw err
    })
    this.tokens = JSON.parse(text) as TokenRecord[]
    this.readAt = await this.modified()
    this.index()
  }

  private async modified (): Promise<number> {
    return (await stat(this.path).catch(() => null))?.mtimeMs ?? 0
  }

  /** Reads the file again when it changed since (a token added or revoked by the token command). */
  async refresh (): Promise<void> {
    if (await this.modified() !== this.readAt) await this.load()
  }

  private index (): void {
    this.byHash = new Map(this.tokens.map(t => [t.hash, t]))
  }

  private async save (): Promise<void> {
    this.index()
    await writeFileAtomically(this.path, JSON.stringify(this.tokens, null, 2) + '\n', 0o600)
    this.readAt = await this.modified()
  }

  /** Every token, without secrets. */
  list (): TokenRecord[] {
    return this.tokens.map(t => ({ ...t, quota: { ...t.quota } }))
  }

  /** The token whose secret this is, if any (a token revoked a moment ago by the command is not). */
  async check (secret: string): Promise<TokenRecord | undefined> {
    await this.refresh()
    return this.byHash.get(hashOf(secret))
  }

  /** A new token; its secret is returned here and nowhere else. */
  async add (label: string, quota: Quota = DEFAULT_QUOTA): Promise<{ token: TokenRecord, secret: string }> {
    if (label.trim() === '') throw new TokenError('a token needs a label (which device it is for)')
    if (this.tokens.some(t => t.label === label)) throw new TokenError(`there is already a token labelled "${label}"`)
    const secret = newSecret()
    const token: TokenRecord = { id: randomUUID(), label, hash: hashOf(secret), created: new Date().toISOString(), quota }
    this.tokens.push(token)
    await this.save()
    return { token, secret }
  }

  /**
   * A new secret for the token labelled `label` (made if missing, with `quota`): its id, and
   * so its pins, stay. The old secret stops working at once.
   */
  async rotate (label: string, quota: Quota = DEFAULT_QUOTA): Promise<{ token: TokenRecord, secret: string }> {
    const token = this.tokens.find(t => t.label === label)
    if (token === undefined) return this.add(label, quota)
    const secret = newSecret()
    token.hash = hashOf(secret)
    await this.save()
    return { token, secret }
  }

  /** Removes the token labelled (or with the id) `which`; the home node then unpins what it kept. */
  async revoke (which: string): Promise<TokenRecord> {
    const token = this.tokens.find(t => t.label === which || t.id === which)
    if (token === undefined) throw new TokenError(`no token labelled "${which}"`)
    this.tokens = this.tokens.filter(t => t !== token)
    await this.save()
    return token
  }
}
