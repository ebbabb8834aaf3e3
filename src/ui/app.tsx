import type { JSX } from 'preact'
import { useEffect } from 'preact/hooks'
import { route, routeHash } from './router.ts'
import { applyUpdate, updateWaiting, workerError, workerState } from './sw-registration.ts'
import { ExploreView } from './views/explore-view.tsx'
import { LibraryView } from './views/library-view.tsx'
import { NamesView } from './views/names-view.tsx'
import { InspectView } from './views/inspect-view.tsx'
import { NewNodeView } from './views/new-node-view.tsx'
import { ImportView } from './views/import-view.tsx'
import { AddView } from './views/add-view.tsx'
import { fromDrop, pendingAdd } from './picked-files.ts'
import { SiteView } from './views/site-view.tsx'
import { RepoSummary } from './components/repo-summary.tsx'
import { NodeStatusBadge } from './components/node-status.tsx'
import { RoomsView } from './views/rooms-view.tsx'
import { PeersView } from './views/peers-view.tsx'
import { SettingsView } from './views/settings-view.tsx'

function Body (): JSX.Element {
  if (workerState.value === 'unsupported') {
    return <p class='error' role='alert'>This browser has no Service Workers. Cairn needs them to run its node: try a current Chromium or Firefox, outside private browsing.</p>
  }
  if (workerState.value === 'failed') {
    return <p class='error' role='alert'>The Service Worker could not start: {workerError.value}</p>
  }
  if (workerState.value === 'registering') return <p class='muted'>Starting the node…</p>
  const current = route.value
  switch (current.view) {
    case 'library': return <LibraryView />
    case 'names': return <NamesView />
    case 'explore': return <ExploreView path={current.path} />
    case 'inspect': return <InspectView cid={current.cid} />
    case 'new': return <NewNodeView />
    case 'import': return <ImportView />
    case 'add': return <AddView share={current.share} />
    case 'site': return <SiteView cid={current.cid} path={current.path} named={current.named === true} />
    case 'rooms': return <RoomsView room={current.room} />
    case 'peers': return <PeersView />
    case 'settings': return <SettingsView />
  }
}

/**
 * Files dropped anywhere outside a drop zone open the Add view with them (the Import and Add
 * views' own zones stop the event first).
 */
function onDrop (e: DragEvent): void {
  if (e.dataTransfer === null || ![...e.dataTransfer.types].includes('Files')) return
  e.preventDefault()
  void fromDrop(e.dataTransfer).then(entries => {
    pendingAdd.value = entries
    location.hash = routeHash({ view: 'add' })
  })
}

function onDragOver (e: DragEvent): void {
  if (e.dataTransfer !== null && [...e.dataTransfer.types].includes('Files')) e.preventDefault()
}

/** The whole app: header, navigation, the current view, and the update prompt. */
export function App (): JSX.Element {
  const view = route.value.view
  useEffect(() => {
    document.addEventListener('dragover', onDragOver)
    document.addEventListener('drop', onDrop)
    return () => {
      document.removeEventListener('dragover', onDragOver)
      document.removeEventListener('drop', onDrop)
    }
  }, [])
  return (
    <>
      <header class='top'>
        <a class='brand' href='#/library'><img src='/icon.svg' alt='' width='28' height='28' /> Cairn</a>
        <nav>
          <a href={routeHash({ view: 'library' })} aria-current={view === 'library' ? 'page' : undefined}>Library</a>
          <a href={routeHash({ view: 'names' })} aria-current={view === 'names' ? 'page' : undefined}>Names</a>
          <a href={routeHash({ view: 'add' })} aria-current={view === 'add' ? 'page' : undefined}>Add files</a>
          <a href={routeHash({ view: 'new' })} aria-current={view === 'new' ? 'page' : undefined}>New node</a>
          <a href={routeHash({ view: 'import' })} aria-current={view === 'import' ? 'page' : undefined}>Import CAR</a>
          <a href={routeHash({ view: 'explore', path: '' })} aria-current={view === 'explore' ? 'page' : undefined}>Explore</a>
          <a href={routeHash({ view: 'inspect', cid: '' })} aria-current={view === 'inspect' ? 'page' : undefined}>Inspect CID</a>
          <a href={routeHash({ view: 'rooms', room: '' })} aria-current={view === 'rooms' ? 'page' : undefined}>Rooms</a>
          <a href={routeHash({ view: 'peers' })} aria-current={view === 'peers' ? 'page' : undefined}>Peers</a>
          <a href={routeHash({ view: 'settings' })} aria-current={view === 'settings' ? 'page' : undefined}>Settings</a>
        </nav>
        {workerState.value === 'ready' && <RepoSummary />}
        {workerState.value === 'ready' && <NodeStatusBadge />}
      </header>
      {updateWaiting.value && (
        <div class='update' role='status'>
          A new version of Cairn is ready. <button onClick={applyUpdate}>Reload to update</button>
        </div>
      )}
      <main><Body /></main>
    </>
  )
}
