import { describe, expect, it } from 'vitest'
import { labelOfName, nameOfLabel, siteAt, siteOrigin } from '../../../src/site/protocol.ts'

describe('site addresses (the subdomain gateway)', () => {
  it('inlines DNSLink domains into one label as the subdomain gateway spec says, and reads them back', () => {
    expect(labelOfName('en.wikipedia-on-ipfs.org')).toBe('en-wikipedia--on--ipfs-org')
    expect(nameOfLabel('en-wikipedia--on--ipfs-org')).toBe('en.wikipedia-on-ipfs.org')
    const key = 'k51qzi5uqu5dk3v4rmjber23h16xnr23bsggmqqil9z2gduiis5se8dht36dam'
    expect(labelOfName(key)).toBe(key)
    expect(nameOfLabel(key)).toBe(key)
  })

  it('reads CID sites on <cid>.ipfs.localhost and named sites on <label>.ipns.ipfs.localhost, nothing else', () => {
    const cid = 'bafybeiaysi4s6lnjev27ln5icwm6tueaw2vdykrtjkwiphwekaywqhcjze'
    expect(siteAt(`${cid}.ipfs.localhost`)).toEqual({ namespace: 'ipfs', label: cid })
    expect(siteAt('docs-ipfs-tech.ipns.ipfs.localhost')).toEqual({ namespace: 'ipns', label: 'docs-ipfs-tech' })
    for (const other of ['ipfs.localhost', 'QmShort.ipfs.localhost', 'x.ipns.localhost', `${cid}.ipfs.example.org`]) expect(siteAt(other), other).toBeUndefined()
    expect(siteOrigin({ namespace: 'ipns', label: 'docs-ipfs-tech' }, { protocol: 'http:', port: '5173' })).toBe('http://docs-ipfs-tech.ipns.ipfs.localhost:5173')
  })
})
