import type { JSX } from 'preact'
import { useEffect, useRef } from 'preact/hooks'
import { nameOfLabel, siteId, siteOrigin, type SiteAddress, type SiteConnect } from '../../site/protocol.ts'
import { ipfsLabel, ipnsLabel } from '../../site/subdomain.ts'
import { serveSiteBlocks } from '../site-channel.ts'

/** The site's address: a CID in the base32 CIDv1 form a subdomain needs, or a name's label; or why it cannot have one. */
function addressOf (label: string, named: boolean): SiteAddress | { error: string } {
  const result = named ? ipnsLabel(nameOfLabel(label)) : ipfsLabel(label)
  return 'error' in result ? result : { namespace: named ? 'ipns' : 'ipfs', label: result.label }
}

/**
 * A website stored in IPFS, opened on its own origin in a frame: `<cid>.ipfs.localhost`, or
 * `<name>.ipns.ipfs.localhost` for a named one (which follows its name). The frame gets blocks of
 * this one site from here, and nothing else.
 */
export function SiteView ({ cid, path, named }: { cid: string, path: string, named: boolean }): JSX.Element {
  const frame = useRef<HTMLIFrameElement>(null)
  const address = addressOf(cid, named)
  const site = 'error' in address ? undefined : address
  const origin = site === undefined ? '' : siteOrigin(site, window.location)
  const id = site === undefined ? '' : siteId(site)
  useEffect(() => {
    if (site === undefined) return
    const onMessage = (event: MessageEvent): void => {
      const data = event.data as Partial<SiteConnect> | null
      if (event.source !== frame.current?.contentWindow || event.origin !== origin) return
      if (data?.type !== 'cairn-site-connect' || data.site !== id || event.ports[0] === undefined) return
      serveSiteBlocks(event.ports[0], site)
    }
    window.addEventListener('message', onMessage)
    return () => window.removeEventListener('message', onMessage)
  }, [id, origin])
  if (site === undefined) return <p class='error' role='alert' data-testid='site-error'>{'error' in address ? address.error : ''}</p>
  const shown = `${origin}${path === '' ? '/' : path}`
  const canonical = window.location.hostname === 'ipfs.localhost'
  return (
    <section class='site'>
      <p class='site-bar'>
        <span class='muted'>Website on its own origin{site.namespace === 'ipns' ? `, following /ipns/${nameOfLabel(site.label)}` : ''}:</span> <code data-testid='site-address'>{shown}</code>
      </p>
      {!canonical && (
        <p class='hint' role='note'>Open Cairn at <code>ipfs.localhost</code> (the address <code>npm start</code> prints) for websites:
          from {window.location.hostname}, the site is a third-party frame, and browsers that block third-party storage (private windows) refuse its worker.</p>
      )}
      <iframe ref={frame} class='site-frame' title={`Site ${id}`} data-testid='site-frame'
        src={`${origin}/_cairn/frame.html#${encodeURIComponent(path === '' ? '/' : path)}`} />
    </section>
  )
}
