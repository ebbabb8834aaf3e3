import type { RpcHandlers } from '../rpc/server.ts'
import { importCar } from '../node/car/car-import.ts'
import { InvalidArgumentError } from '../hotpath/index.ts'
import { getNode, getServices } from './node-instance.ts'

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

/** The node's RPC methods. Each starts the node lazily. */
export const rpcHandlers: RpcHandlers = {
  'dag.put': async params => (await getNode()).dagPut(params),
  'dag.get': async ({ path }) => (await getNode()).dagGet(path),
  'block.get': async ({ cid }) => ({ bytes: await (await getNode()).blockGet(cid) }),
  'block.stat': async ({ cid }) => (await getNode()).blockStat(cid),
  'cid.inspect': async ({ cid }) => (await getNode()).cidInspect(cid),
  'repo.stat': async () => (await getNode()).repoStat(),
  'car.import': async ({ file, name }, { emit }) => {
    if (!(file instanceof Blob)) throw new InvalidArgumentError('car.import needs a file (a Blob)')
    const { blockstore, imports } = await getServices()
    return importCar(blobChunks(file), {
      blockstore,
      imports,
      name: typeof name === 'string' && name !== '' ? name : 'unnamed.car',
      totalBytes: file.size,
      onProgress: progress => emit('progress', progress)
    })
  },
  'car.imports': async () => (await (await getServices()).imports.list()).filter(r => r.state === 'done')
}
