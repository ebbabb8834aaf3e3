import { mkdir, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

let sequence = 0

/**
 * Writes `text` (or bytes) to `path` through a temporary file and a rename, so a crash leaves either
 * the old file or the new one, never half of one.
 */
export async function writeFileAtomically (path: string, text: string | Uint8Array, mode = 0o644): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const temporary = `${path}.${process.pid}.${sequence++}.tmp`
  await writeFile(temporary, text, { mode })
  await rename(temporary, path)
}
