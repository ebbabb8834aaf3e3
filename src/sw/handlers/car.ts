import type { RpcHandlers } from '../../rpc/server.ts'
import { getCairn } from '../cairn-instance.ts'

/** A Blob's bytes as a stream of chunks, read as they are needed. */
async function * blobChunks (blob: Blob): AsyncGenerator<Uint8Array> {
  const reader = blob.stream().getReader()
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return
      yield value
    }
  } finally {
    reader.releaseLock()
  }
}

/** CAR import. */
export const carHandlers: RpcHandlers = {
  'car.import': async ({ file, name }, { progress }) => (await getCairn()).cars.import(blobChunks(file), { name, totalBytes: file.size, onProgress: progress }),
  'car.imports': async () => (await getCairn()).cars.list()
}
