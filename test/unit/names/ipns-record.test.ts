import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { createIPNSRecord, marshalIPNSRecord } from 'ipns'
import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { readIpnsRecord, MAX_IPNS_RECORD_BYTES } from '../../../src/names/ipns-record.ts'
import { parseName, type IpnsKeyName } from '../../../src/names/name.ts'
import { fixturesDir } from '../../support/fixtures.ts'

const vectors = join(fixturesDir, 'gateway-conformance', 'fixtures', 'ipns_records')

/** A vector's name (from its file name) and bytes. */
function vector (suffix: string): { name: IpnsKeyName, bytes: Uint8Array } {
  const file = readdirSync(vectors).find(f => f.endsWith(`_${suffix}.ipns-record`))
  if (file === undefined) throw new Error(`no vector ${suffix}`)
  return { name: parseName(file.split('_')[0]) as IpnsKeyName, bytes: new Uint8Array(readFileSync(join(vectors, file))) }
}

describe('IPNS names', () => {
  it('reads libp2p-key CIDs in any base and bare PeerIds as one name, and domains as DNSLink', async () => {
    const key = await generateKeyPair('Ed25519')
    const peer = peerIdFromPrivateKey(key)
    const expected = parseName(peer.toCID().toString())
    expect(expected.kind).toBe('ipns')
    expect(expected.name).toMatch(/^k51/)
    expect(parseName(peer.toString())).toEqual(expected)
    expect(parseName(peer.toCID().toString())).toEqual(expected)
    expect(parseName(expected.name)).toEqual(expected)
    expect(parseName('Docs.IPFS.tech.')).toEqual({ kind: 'dnslink', name: 'docs.ipfs.tech' })
  })

  it('refuses content CIDs, garbage and things that are not domains, by name', () => {
    const content = CID.parse('bafkqaddwgevxmmraojswg33smq')
    expect(() => parseName(content.toString())).toThrow(expect.objectContaining({ name: 'InvalidNameError' }))
    for (const bad of ['', 'not a name', 'localhost', '-bad-.example.org', 'a..b']) {
      expect(() => parseName(bad), bad).toThrow(expect.objectContaining({ name: 'InvalidNameError' }))
    }
  })
})

describe('IPNS records: the six conformance vectors and bad input', () => {
  it('accepts V1+V2, V2-only and a broken V1 signature (V1 signatures are not checked), with their values', async () => {
    for (const [suffix, value] of [
      ['v1-v2', '/ipfs/bafkqaddwgevxmmraojswg33smq'],
      ['v2', '/ipfs/bafkqadtwgiww63tmpeqhezldn5zgi'],
      ['v1-v2-broken-signature-v1', '/ipfs/bafkqahtwgevxmmrao5uxi2bamjzg623fnyqhg2lhnzqxi5lsmuqhmmi']
    ] as const) {
      const { name, bytes } = vector(suffix)
      const record = await readIpnsRecord(name, bytes)
      expect(record.value, suffix).toBe(value)
      expect(record.ttlMs).toBe(30 * 60_000)
      expect(record.bytes).toBe(bytes)
    }
  })

  it('refuses V1-only, a broken V2 signature and V1 fields that differ from the signed data, each by its problem', async () => {
    for (const [suffix, problem] of [['v1', 'unsigned'], ['v1-v2-broken-signature-v2', 'signature'], ['v1-v2-broken-v1-value', 'v1-mismatch']] as const) {
      const { name, bytes } = vector(suffix)
      await expect(readIpnsRecord(name, bytes), suffix).rejects.toMatchObject({ name: 'InvalidIpnsRecordError', problem })
    }
  })

  it('refuses a record whose embedded key is not the name\'s (an RSA name is a hash of its key)', async () => {
    const rsa = await generateKeyPair('RSA', 2048)
    const otherRsa = parseName(peerIdFromPrivateKey(await generateKeyPair('RSA', 2048)).toString()) as IpnsKeyName
    const record = marshalIPNSRecord(await createIPNSRecord(rsa, '/ipfs/bafkqaddwgevxmmraojswg33smq', 1n, 60_000))
    expect((await readIpnsRecord(parseName(peerIdFromPrivateKey(rsa).toString()) as IpnsKeyName, record)).sequence).toBe(1n)
    await expect(readIpnsRecord(otherRsa, record)).rejects.toMatchObject({ problem: 'wrong-key' })
  }, 30_000)

  it('refuses a record of another key, an expired one, an oversized one (before parsing) and garbage', async () => {
    const key = await generateKeyPair('Ed25519')
    const other = parseName((await generateKeyPair('Ed25519')).publicKey.toCID().toString()) as IpnsKeyName
    const mine = parseName(key.publicKey.toCID().toString()) as IpnsKeyName
    const record = marshalIPNSRecord(await createIPNSRecord(key, '/ipfs/bafkqaddwgevxmmraojswg33smq', 1n, 60_000))
    expect((await readIpnsRecord(mine, record)).sequence).toBe(1n)
    // An Ed25519 name is its key: a record of another key cannot verify under it.
    await expect(readIpnsRecord(other, record)).rejects.toMatchObject({ problem: 'signature' })
    const expired = marshalIPNSRecord(await createIPNSRecord(key, '/ipfs/bafkqaddwgevxmmraojswg33smq', 2n, -1000))
    await expect(readIpnsRecord(mine, expired)).rejects.toMatchObject({ problem: 'expired' })
    await expect(readIpnsRecord(mine, new Uint8Array(MAX_IPNS_RECORD_BYTES + 1))).rejects.toMatchObject({ problem: 'too-large' })
    await expect(readIpnsRecord(mine, new Uint8Array([0xff, 0xff, 0x01]))).rejects.toMatchObject({ problem: 'malformed' })
  })
})
