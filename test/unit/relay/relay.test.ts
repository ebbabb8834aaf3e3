import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { eventually, testPeer, testRelay, texts, type TestPeer } from '../../support/p2p.ts'
import type { Relay } from '../../../src/relay/relay.ts'

describe('the bundled relay and rooms between two Node.js peers', () => {
  const running: Array<{ stop: () => Promise<void> }> = []
  afterEach(async () => {
    await Promise.all(running.splice(0).reverse().map(async r => r.stop()))
  })
  async function relay (): Promise<Relay> {
    const r = await testRelay()
    running.push(r)
    return r
  }
  async function peer (r: Relay): Promise<TestPeer> {
    const p = await testPeer(r)
    running.push(p)
    return p
  }

  it('starts alone, listens on WebSockets and prints a dialable multiaddr with its PeerId', async () => {
    const r = await relay()
    expect(r.multiaddrs).toHaveLength(1)
    expect(r.multiaddrs[0]).toMatch(new RegExp(`^/ip4/127\\.0\\.0\\.1/tcp/\\d+/ws/p2p/${r.peerId}$`))
    const protocols = r.node.getProtocols()
    for (const p of ['/libp2p/circuit/relay/0.2.0/hop', '/ipfs/id/1.0.0', '/ipfs/ping/1.0.0', '/meshsub/1.1.0']) expect(protocols).toContain(p)
  })

  it('runs from the command line (npm run relay), logs, and stops cleanly on SIGINT and SIGTERM', async () => {
    const home = await mkdtemp(join(tmpdir(), 'cairn-relay-cli-'))
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const child = spawn(process.execPath, ['src/relay/main.ts', '--port', '0', '--max-reservations', '4', '--home', home, '--http-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] })
      let output = ''
      child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
      child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
      // main.ts prints this last, after the PeerId and the addresses (the home node's own start line says "home: …").
      await eventually(() => output.includes('relay: pinning service, trustless gateway and routing at'), 'the relay and its home node to listen')
      expect(output).toMatch(/PeerId 12D3KooW\w+/)
      expect(output).toMatch(/pinning service, trustless gateway and routing at http:\/\/127\.0\.0\.1:\d+/)
      const exited = new Promise<number | null>(resolve => child.once('exit', resolve))
      child.kill(signal)
      expect(await exited).toBe(0)
      expect(output).toContain(`${signal}: shutting down`)
      expect(output).toContain('stopped')
    }
    await rm(home, { recursive: true, force: true })
  })

  it('explains a bad command line and exits with status 2', async () => {
    const child = spawn(process.execPath, ['src/relay/main.ts', '--port', 'many'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    expect(await new Promise(resolve => child.once('exit', resolve))).toBe(2)
    expect(stderr).toContain('--port needs a whole number')
    expect(stderr).toContain('usage: npm run relay')
  })

  it('carries a chat both ways, with member lists, between peers that only reach the relay', async () => {
    const r = await relay()
    const alice = await peer(r)
    const bob = await peer(r)
    await alice.rooms.setNick('alice')
    await bob.rooms.setNick('bob')
    await alice.rooms.join('lobby')
    await bob.rooms.join('lobby')
    // The relay mirrors the topic, so gossip reaches each side through it.
    await eventually(() => r.node.services.pubsub.getTopics().includes('lobby'), 'the relay to forward the room')
    await eventually(() => alice.rooms.memberList('lobby').some(m => m.nick === 'bob'), 'alice to see bob')
    await eventually(() => bob.rooms.memberList('lobby').some(m => m.nick === 'alice'), 'bob to see alice')
    await eventually(async () => (await alice.rooms.send('lobby', 'hello bob')).recipients > 0 && texts(bob, 'lobby').includes('hello bob'), 'bob to get the message', 20_000)
    await bob.rooms.send('lobby', 'hi alice')
    await eventually(() => texts(alice, 'lobby').includes('hi alice'), 'alice to get the reply')
    const got = alice.events.find(e => e.type === 'room.message' && e.detail.text === 'hi alice')
    expect(got?.type === 'room.message' && got.detail).toMatchObject({ v: 2, kind: 'message', room: 'lobby', author: bob.node.peerId.toString(), nick: 'bob', mine: false })
    // Leaving is announced: bob drops out of alice's member list.
    await bob.rooms.leave('lobby')
    await eventually(() => !alice.rooms.memberList('lobby').some(m => m.nick === 'bob'), 'bob to leave alice\'s list')
    expect(alice.rooms.drops()).toMatchObject({ malformed: 0, oversized: 0, unsigned: 0, spoofed: 0, flooding: 0, future: 0 })
  })
})
