import { CID } from 'multiformats/cid'

/**
 * The first IPFS path in text (shared text, an `ipfs://` link): `ipfs://…` and `ipns://…`,
 * `/ipfs/…` or `/ipns/…` (in a gateway URL too), or a bare CID. Undefined when there is none.
 */
export function ipfsPathIn (text: string): string | undefined {
  const words = text.split(/\s+/).filter(w => w !== '')
  for (const word of words) {
    const scheme = /^ip([fn])s:\/\/(.+)$/i.exec(word)
    if (scheme !== null) return `/ip${scheme[1].toLowerCase()}s/${scheme[2]}`
    const path = /\/ip[fn]s\/[^\s?#]+/.exec(word)
    if (path !== null) return path[0]
    try {
      return `/ipfs/${CID.parse(word).toString()}`
    } catch {
      // not a CID: next word
    }
  }
  return undefined
}
