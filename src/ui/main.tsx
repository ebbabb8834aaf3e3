import { render } from 'preact'
import { App } from './app.tsx'
import { keepNodeAlive } from './keep-alive.ts'
import { handleLaunch } from './launch.ts'
import { registerWorker, workerState } from './sw-registration.ts'
import './styles.css'

handleLaunch()
const root = document.getElementById('app') as HTMLElement
// The boot text ("Starting Cairn…") is there until the app renders; then it goes.
root.replaceChildren()
render(<App />, root)
void registerWorker().then(() => {
  if (workerState.value === 'ready') keepNodeAlive()
})
