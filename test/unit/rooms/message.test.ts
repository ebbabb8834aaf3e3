import { describe, expect, it } from 'vitest'
import * as dagCbor from '@ipld/dag-cbor'
import { checkNick, checkRoomName, checkText, decodeRoomMessage, encodeRoomMessage, type RoomMessage } from '../../../src/rooms/message.ts'

const sample: RoomMessage = { v: 1, kind: 'message', room: 'lobby ☕', author: '12D3KooWExample', nick: 'ada', text: 'hi "there"\n{"/": "not a link"}', timestamp: 1_763_000_000_000 }

describe('room messages (DAG-CBOR by the WASM module)', () => {
  it('encodes the versioned schema exactly as @ipld/dag-cbor does, and decodes it back', () => {
    const bytes = encodeRoomMessage(sample)
    expect(bytes).toEqual(dagCbor.encode(sample))
    expect(decodeRoomMessage(bytes)).toEqual(sample)
  })

  it('refuses malformed input by name', () => {
    const bad = [
      new Uint8Array([0xff]),
      dagCbor.encode([1, 2]),
      dagCbor.encode({ ...sample, v: 2 }),
      dagCbor.encode({ ...sample, kind: 'shout' }),
      dagCbor.encode({ ...sample, timestamp: -1 }),
      dagCbor.encode({ ...sample, nick: 'x'.repeat(33) }),
      dagCbor.encode({ v: 1, kind: 'message', room: 'lobby' }),
      new Uint8Array(64 * 1024 + 1)
    ]
    for (const bytes of bad) expect(() => decodeRoomMessage(bytes)).toThrow(expect.objectContaining({ name: 'MalformedRoomMessageError' }))
  })

  it('checks room names, nicknames and text', () => {
    expect(checkRoomName('General chat')).toBe('General chat')
    for (const name of ['', ' lobby', 'a'.repeat(101), 'tab\there', '_peer-discovery._p2p._pubsub', 'cairn.x', 42]) {
      expect(() => checkRoomName(name)).toThrow(expect.objectContaining({ name: 'InvalidRoomNameError' }))
    }
    expect(checkNick('  ada ')).toBe('ada')
    for (const nick of ['', '   ', 'x'.repeat(33), 'bell\u0007']) expect(() => checkNick(nick)).toThrow(expect.objectContaining({ name: 'InvalidChatInputError' }))
    for (const text of ['', '  ', 'x'.repeat(4001), null]) expect(() => checkText(text)).toThrow(expect.objectContaining({ name: 'InvalidChatInputError' }))
  })
})
