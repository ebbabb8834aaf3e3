import { describe, expect, it } from 'vitest'
import { ipfsPathIn } from '../../../src/lib/ipfs-link.ts'

describe('IPFS paths in shared text and links', () => {
  const cid = 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku'
  it('reads ipfs:// and ipns:// links, paths, gateway URLs and bare CIDs', () => {
    expect(ipfsPathIn(`ipfs://${cid}/a/b.txt`)).toBe(`/ipfs/${cid}/a/b.txt`)
    expect(ipfsPathIn('IPNS://example.org/x')).toBe('/ipns/example.org/x')
    expect(ipfsPathIn(`look at https://ipfs.io/ipfs/${cid}/page?x=1 now`)).toBe(`/ipfs/${cid}/page`)
    expect(ipfsPathIn(`hello\n${cid}`)).toBe(`/ipfs/${cid}`)
    expect(ipfsPathIn('QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH')).toBe('/ipfs/QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH')
  })

  it('finds nothing in text without one', () => {
    expect(ipfsPathIn('just some words')).toBeUndefined()
    expect(ipfsPathIn('')).toBeUndefined()
  })
})
