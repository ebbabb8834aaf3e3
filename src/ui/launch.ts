import { ipfsPathIn } from '../lib/ipfs-link.ts'
import { fromFileList, pendingAdd, pendingImport } from './picked-files.ts'
import { routeHash } from './router.ts'

interface LaunchParams { targetURL?: string, files: Array<{ getFile: () => Promise<File> }> }
interface LaunchQueue { setConsumer: (consumer: (params: LaunchParams) => void) => void }

/**
 * Where an `ipfs://` or `ipns://` link handed to Cairn (`?uri=`, the protocol handlers) goes:
 * content to the gateway, which opens websites in the site viewer; anything else to the
 * explorer, which says what is wrong with it.
 */
export function launchTarget (uri: string): string {
  const path = ipfsPathIn(uri)
  if (path?.startsWith('/ipfs/') === true) return path
  return `/${routeHash({ view: 'explore', path: path ?? uri })}`
}

/**
 * Acts on how the app was launched: with an `ipfs://`/`ipns://` link (the protocol handlers)
 * or with files opened from the system (the file handlers: `.car` to Import, others to Add).
 */
export function handleLaunch (): void {
  const uri = new URL(location.href).searchParams.get('uri')
  if (uri !== null) {
    location.replace(launchTarget(uri))
    return
  }
  const queue = (window as { launchQueue?: LaunchQueue }).launchQueue
  queue?.setConsumer(params => {
    if (params.files.length === 0) return
    void Promise.all(params.files.map(async handle => handle.getFile())).then(files => {
      if (new URL(params.targetURL ?? location.href).searchParams.get('launch') === 'car') {
        pendingImport.value = files[0]
        location.hash = routeHash({ view: 'import' })
      } else {
        pendingAdd.value = fromFileList(files)
        location.hash = routeHash({ view: 'add' })
      }
    })
  })
}
