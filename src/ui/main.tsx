import { render } from 'preact'
import { App } from './app.tsx'
import { keepNodeAlive } from './keep-alive.ts'
import { registerWorker, workerState } from './sw-registration.ts'
import './styles.css'

render(<App />, document.getElementById('app') as HTMLElement)
void registerWorker().then(() => {
  if (workerState.value === 'ready') keepNodeAlive()
})
