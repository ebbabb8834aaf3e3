import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'

/**
 * The relay's private key from `path`, or a new Ed25519 key written there (mode 0600), so
 * the relay keeps its PeerId — and browsers their saved relay address — across restarts.
 */
export async function loadOrCreateKey (path: string): Promise<PrivateKey> {
  const stored = await readFile(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null
    throw err
  })
  if (stored !== null) return privateKeyFromProtobuf(stored)
  const key = await generateKeyPair('Ed25519')
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, privateKeyToProtobuf(key), { mode: 0o600 })
  return key
}
