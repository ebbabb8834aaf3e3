/// <reference lib="webworker" />
import { ipfsPathIn } from '../lib/ipfs-link.ts'
import type { FetchRoute } from './route.ts'
import { holdShare } from './shared-inbox.ts'

/** Where the manifest's `share_target` posts. */
export const SHARE_TARGET_PATH = '/share-target'

/**
 * The Web Share Target: another app shares files (or text) to the installed Cairn. Files are
 * held in the worker and the Add view opens with them (nothing is stored until the user adds
 * them, so a form posted here by another site can do no more than that). Shared text that
 * names IPFS content opens it in the explorer; other text becomes a file to add.
 */
export const shareTargetRoute: FetchRoute = {
  name: 'share-target',
  canHandle: (url, request) => url.origin === self.location.origin && url.pathname === SHARE_TARGET_PATH && request.method === 'POST',
  handle: async event => {
    let form: FormData
    try {
      form = await event.request.formData()
    } catch {
      return new Response('The share could not be read.', { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
    }
    const files = form.getAll('files').filter((f): f is File => f instanceof File && f.name !== '')
    const text = ['title', 'text', 'url'].map(k => form.get(k)).filter((v): v is string => typeof v === 'string' && v !== '').join('\n')
    if (files.length === 0) {
      const path = ipfsPathIn(text)
      if (path !== undefined) return Response.redirect(`/#/explore/${encodeURIComponent(path)}`, 303)
      if (text === '') return Response.redirect('/#/add', 303)
      files.push(new File([text], 'shared text.txt', { type: 'text/plain' }))
    }
    const id = holdShare({ entries: files.map(file => ({ path: file.name, file })) })
    return Response.redirect(`/#/add/${id}`, 303)
  }
}
