import { render } from 'preact'
import { App } from './app.tsx'
import { registerWorker } from './sw-registration.ts'
import './styles.css'

render(<App />, document.getElementById('app') as HTMLElement)
void registerWorker()
