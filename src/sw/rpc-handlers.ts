import type { RpcHandlers } from '../rpc/server.ts'
import { importCar } from '../node/car/car-import.ts'
import { InvalidArgumentError } from '../hotpath/index.ts'
import { getNode, getServices } from './node-instance.ts'
import { checkSettings } from '../p2p/settings.ts'
import { DEFAULT_THROUGHPUT_BYTES } from '../p2p/throughput.ts'
import { effectiveSettings, getNetwork, loadSettings, networkStatus, restartNetwork, saveSettings } from './network-instance.ts'

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
    const { blockstore, imports, lock } = await getServices()
    return importCar(blobChunks(file), {
      blockstore,
      imports,
      lock,
      name: typeof name === 'string' && name !== '' ? name : 'unnamed.car',
      totalBytes: file.size,
      onProgress: progress => emit('progress', progress)
    })
  },
  'car.imports': async () => (await (await getServices()).imports.list()).filter(r => r.state === 'done'),
  'node.status': async () => networkStatus(),
  'settings.get': async () => {
    const settings = await loadSettings()
    return { settings, effective: await effectiveSettings(settings) }
  },
  'settings.set': async params => {
    const settings = checkSettings(params)
    await saveSettings(settings)
    await restartNetwork()
    return { settings, effective: await effectiveSettings(settings) }
  },
  'peers.list': async () => (await getNetwork()).peers(),
  'peers.dial': async ({ address }) => {
    if (typeof address !== 'string') throw new InvalidArgumentError('peers.dial needs an address')
    return (await getNetwork()).dial(address)
  },
  'peers.disconnect': async ({ peerId }) => {
    await (await getNetwork()).disconnect(String(peerId))
    return {}
  },
  'peers.ping': async ({ peerId }) => ({ rtt: await (await getNetwork()).ping(String(peerId)) }),
  'peers.throughput': async ({ peerId, bytes }, { emit }) => {
    if (bytes !== undefined && typeof bytes !== 'number') throw new InvalidArgumentError('peers.throughput takes a number of bytes')
    const total = bytes ?? DEFAULT_THROUGHPUT_BYTES
    return (await getNetwork()).throughput(String(peerId), total, sent => emit('progress', { sent, total }))
  },
  'rooms.list': async () => {
    const { rooms } = await getNetwork()
    return { rooms: rooms.list(), nick: rooms.nick, drops: rooms.drops() }
  },
  'rooms.join': async ({ room }) => {
    await (await getNetwork()).rooms.join(room)
    return {}
  },
  'rooms.leave': async ({ room }) => {
    await (await getNetwork()).rooms.leave(room)
    return {}
  },
  'rooms.nick': async ({ nick }) => {
    const { rooms } = await getNetwork()
    await rooms.setNick(nick)
    return { nick: rooms.nick }
  },
  'rooms.send': async ({ room, text }) => (await getNetwork()).rooms.send(room, text),
  'rooms.history': async ({ room, limit }) => {
    const { rooms } = await getNetwork()
    return { messages: await rooms.history(room, typeof limit === 'number' ? Math.min(Math.max(1, limit), 500) : 200), members: rooms.memberList(room) }
  }
}
