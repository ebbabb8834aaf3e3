import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PeerId } from '@libp2p/interface'
import { base64 } from 'multiformats/bases/base64'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { WantCancels, type QueuedMessage, type QueuedWant } from '../../../src/exchange/want-cancels.ts'

async function cidOf (text: string): Promise<CID> {
  return CID.createV1(raw.code, await sha256.digest(new TextEncoder().encode(text)))
}

async function newPeer (): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

function wants (cids: CID[], cancel = false, full = false): Pick<QueuedMessage, 'full' | 'wantlist'> {
  return { full, wantlist: new Map(cids.map(cid => [base64.encode(cid.multihash.bytes), { cid: cid.bytes, priority: 1, ...(cancel ? { cancel: true } : {}) } satisfies QueuedWant])) }
}

/** Runs the timer the cancels wait for. */
async function nextTask (): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, 5))
}

describe('WantCancels', () => {
  it('cancels at every asked peer but the sender when a block arrives, one message per peer', async () => {
    const sent: Array<{ peer: string, cancelled: string[] }> = []
    const cancels = new WantCancels(async (peer, message) => {
      sent.push({ peer: peer.toString(), cancelled: [...message.wantlist.values()].filter(w => w.cancel === true).map(w => CID.decode(w.cid).toString()) })
    })
    const [a, b, c] = await Promise.all([newPeer(), newPeer(), newPeer()])
    const [one, two] = await Promise.all([cidOf('one'), cidOf('two')])
    cancels.noteSent(a, wants([one, two]))
    cancels.noteSent(b, wants([one, two]))
    cancels.noteSent(c, wants([two]))
    expect(cancels.outstanding()).toBe(5)

    cancels.received(one, a)
    cancels.received(two, a)
    await nextTask()
    expect(sent.sort((x, y) => x.peer.localeCompare(y.peer))).toEqual([
      { peer: b.toString(), cancelled: [one.toString(), two.toString()] },
      { peer: c.toString(), cancelled: [two.toString()] }
    ].sort((x, y) => x.peer.localeCompare(y.peer)))
    expect(cancels.outstanding()).toBe(0)
  })

  it('cancels a given-up want everywhere; forgets disconnected peers, cancels already sent and replaced wantlists', async () => {
    const sent: string[] = []
    const cancels = new WantCancels(async peer => { sent.push(peer.toString()) })
    const [a, b] = await Promise.all([newPeer(), newPeer()])
    const [one, two, three] = await Promise.all([cidOf('one'), cidOf('two'), cidOf('three')])
    cancels.noteSent(a, wants([one, two]))
    cancels.noteSent(b, wants([one]))
    cancels.noteSent(a, wants([two], true))
    cancels.forget(b)
    cancels.gaveUp(one)
    await nextTask()
    expect(sent).toEqual([a.toString()])

    // A full wantlist replaces what the peer was sent before.
    cancels.noteSent(a, wants([two, three]))
    cancels.noteSent(a, wants([three], false, true))
    cancels.gaveUp(two)
    cancels.received(await cidOf('never asked'), b)
    await nextTask()
    expect(sent).toEqual([a.toString()])
    expect(cancels.outstanding()).toBe(1)
  })
})
