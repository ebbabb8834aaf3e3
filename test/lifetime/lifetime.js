// The lifetime harness: joins a room, goes silent (no heartbeat, no message of any kind) for
// `idle` ms so the browser can stop the idle Service Worker, then asks again.
const report = (phase, value) => console.log(`LIFETIME ${JSON.stringify({ phase, ...value })}`)
const idle = Number(new URLSearchParams(location.search).get('idle') ?? 60000)

let nextId = 1
function rpc (method, params) {
  return new Promise((resolve, reject) => {
    const channel = new MessageChannel()
    const timer = setTimeout(() => reject(new Error(`${method}: no answer`)), 30000)
    channel.port1.onmessage = ({ data }) => {
      if (data.kind === 'event') return
      clearTimeout(timer)
      channel.port1.close()
      if (data.kind === 'result') resolve(data.result)
      else reject(new Error(`${data.error.name}: ${data.error.message}`))
    }
    navigator.serviceWorker.controller.postMessage({ tag: 'cairn-rpc/1', id: nextId++, method, params }, [channel.port2])
  })
}

try {
  await navigator.serviceWorker.register('/sw.js')
  await navigator.serviceWorker.ready
  if (navigator.serviceWorker.controller === null) {
    await new Promise(resolve => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }))
  }
  await rpc('rooms.join', { room: 'lifetime room' })
  const before = await rpc('node.status', {})
  report('before', { peerId: before.peerId, startedAt: before.startedAt, rooms: (await rpc('rooms.list', {})).rooms.map(r => r.room) })
  await new Promise(resolve => setTimeout(resolve, idle))
  const after = await rpc('node.status', {})
  report('after', { peerId: after.peerId, startedAt: after.startedAt, rooms: (await rpc('rooms.list', {})).rooms.map(r => r.room) })
} catch (err) {
  report('error', { message: String(err) })
}
