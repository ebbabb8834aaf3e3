import { createCipheriv, createHash } from 'node:crypto'
import { importer, type ImportCandidate } from 'ipfs-unixfs-importer'
import { MemoryBlockstore as ReferenceBlockstore } from 'blockstore-core/memory'
import type { Blockstore } from 'interface-blockstore'
import type { AddEntry, FileSource } from '../../src/add/add-tree.ts'
import type { UnixfsProfile } from '../../src/hotpath/index.ts'

/**
 * Kubo's deterministic test input (`DeterministicRandomReaderBytes`): the ChaCha20 keystream
 * under key sha256(seed), nonce zero, counter zero. Streamed in pieces of `piece` bytes, never
 * held whole, so 1 GiB inputs cost no memory.
 */
export function chachaSource (seed: string, size: number, piece = 1024 * 1024): FileSource {
  return {
    size,
    stream: () => {
      const cipher = createCipheriv('chacha20', createHash('sha256').update(seed, 'utf8').digest(), Buffer.alloc(16))
      const zeros = Buffer.alloc(piece)
      let left = size
      return new ReadableStream<Uint8Array>({
        pull (controller) {
          if (left === 0) return controller.close()
          const n = Math.min(piece, left)
          left -= n
          controller.enqueue(new Uint8Array(cipher.update(n === piece ? zeros : zeros.subarray(0, n))))
        }
      })
    }
  }
}

/** A file source over bytes in memory, handed out in pieces of `piece` bytes. */
export function bytesSource (bytes: Uint8Array, piece = 64 * 1024): FileSource {
  return {
    size: bytes.length,
    stream: () => {
      let at = 0
      return new ReadableStream<Uint8Array>({
        pull (controller) {
          if (at >= bytes.length) return controller.close()
          controller.enqueue(bytes.slice(at, at + piece))
          at += piece
        }
      })
    }
  }
}

/** A file source that fails after `after` bytes, as a file deleted on disk while read does. */
export function vanishingSource (size: number, after: number): FileSource {
  return {
    size,
    stream: () => {
      let sent = 0
      return new ReadableStream<Uint8Array>({
        pull (controller) {
          if (sent >= after) return controller.error(new DOMException('A requested file or directory could not be found', 'NotFoundError'))
          sent += 1024
          controller.enqueue(new Uint8Array(1024).fill(7))
        }
      })
    }
  }
}

/** The root CID `ipfs-unixfs-importer` gives the same entries under `profile` (into memory, unless another store is given). */
export async function referenceRoot (entries: AddEntry[], profile: UnixfsProfile, wrap: boolean, blockstore: Blockstore = new ReferenceBlockstore()): Promise<string> {
  const candidates: ImportCandidate[] = []
  for (const entry of entries) {
    if (entry.file === undefined) {
      candidates.push({ path: entry.path })
      continue
    }
    const reader = entry.file.stream().getReader()
    candidates.push({
      path: entry.path,
      content: (async function * () {
        for (let read = await reader.read(); read.done !== true; read = await reader.read()) yield read.value
      })()
    })
  }
  let last: string | undefined
  // A fresh options object each call: the importer rewrites the one it is given.
  for await (const result of importer(candidates, blockstore, { profile, wrapWithDirectory: wrap })) last = result.cid.toString()
  if (last === undefined) throw new Error('the reference importer gave no root')
  return last
}
