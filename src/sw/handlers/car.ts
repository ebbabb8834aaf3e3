import { importCar } from '../../node/car/car-import.ts'
import type { RpcHandlers } from '../../rpc/server.ts'
import { getServices } from '../node-instance.ts'

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
  'car.import': async ({ file, name }, { progress }) => {
    const { blockstore, imports, lock } = await getServices()
    return importCar(blobChunks(file), { blockstore, imports, lock, name, totalBytes: file.size, onProgress: progress })
  },
  'car.imports': async () => (await (await getServices()).imports.list()).filter(r => r.state === 'done')
}
