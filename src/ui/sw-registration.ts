import { signal } from '@preact/signals'
import { Workbox } from 'workbox-window'

/** Where the Service Worker stands, as the UI shows it. */
export type WorkerState = 'registering' | 'ready' | 'unsupported' | 'failed'

/** The Service Worker's state. */
export const workerState = signal<WorkerState>('registering')
/** Why registration failed, if it did. */
export const workerError = signal<string>('')
/** True when a new version is installed and waiting for the user to reload. */
export const updateWaiting = signal(false)

let workbox: Workbox | undefined
let updateAccepted = false

/** Registers the Service Worker and follows its updates. */
export async function registerWorker (): Promise<void> {
  if (!('serviceWorker' in navigator)) {
    workerState.value = 'unsupported'
    return
  }
  workbox = new Workbox('/sw.js')
  workbox.addEventListener('waiting', () => { updateWaiting.value = true })
  // Reload once the accepted version takes control. Listening here rather than to Workbox's
  // 'controlling' also covers updates the browser found on its own (Workbox calls those external).
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (updateAccepted) window.location.reload()
  })
  try {
    await workbox.register()
    await navigator.serviceWorker.ready
    workerState.value = 'ready'
  } catch (err) {
    workerState.value = 'failed'
    workerError.value = (err as Error).message
  }
}

/** Activates the waiting version; the page reloads once it takes control. */
export function applyUpdate (): void {
  updateAccepted = true
  workbox?.messageSkipWaiting()
}
