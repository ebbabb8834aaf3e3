import type { JSX } from 'preact'
import { useEffect, useRef } from 'preact/hooks'
import { CID } from 'multiformats/cid'
import { siteOrigin, type SiteConnect } from '../../site/protocol.ts'
import { serveSiteBlocks } from '../site-channel.ts'

/** The CID in the base32 CIDv1 form a subdomain needs, or undefined. */
function subdomainCid (text: string): string | undefined {
  try {
    return CID.parse(text).toV1().toString()
  } catch {
    return undefined
  }
}

/**
 * A website stored in IPFS, opened on its own origin (`<cid>.ipfs.localhost`) in a frame.
 * The frame gets blocks of this one site from here, and nothing else.
 */
export function SiteView ({ cid, path }: { cid: string, path: string }): JSX.Element {
  const frame = useRef<HTMLIFrameElement>(null)
  const root = subdomainCid(cid)
  const origin = root === undefined ? '' : siteOrigin(root, window.location)
  useEffect(() => {
    if (root === undefined) return
    const onMessage = (event: MessageEvent): void => {
      const data = event.data as Partial<SiteConnect> | null
      if (event.source !== frame.current?.contentWindow || event.origin !== origin) return
      if (data?.type !== 'cairn-site-connect' || data.root !== root || event.ports[0] === undefined) return
      serveSiteBlocks(event.ports[0], root)
    }
    window.addEventListener('message', onMessage)
    return () => window.removeEventListener('message', onMessage)
  }, [root, origin])
  if (root === undefined) return <p class='error' role='alert'>"{cid}" is not a CID.</p>
  const address = `${origin}${path === '' ? '/' : path}`
  const canonical = window.location.hostname === 'ipfs.localhost'
  return (
    <section class='site'>
      <p class='site-bar'>
        <span class='muted'>Website on its own origin:</span> <code data-testid='site-address'>{address}</code>
      </p>
      {!canonical && (
        <p class='hint' role='note'>Open Cairn at <code>ipfs.localhost</code> (the address <code>npm start</code> prints) for websites:
          from {window.location.hostname}, the site is a third-party frame, and browsers that block third-party storage (private windows) refuse its worker.</p>
      )}
      <iframe ref={frame} class='site-frame' title={`Site ${root}`} data-testid='site-frame'
        src={`${origin}/_cairn/frame.html#${encodeURIComponent(path === '' ? '/' : path)}`} />
    </section>
  )
}
