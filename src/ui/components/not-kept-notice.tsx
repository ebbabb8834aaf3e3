import type { JSX } from 'preact'
import { useState } from 'preact/hooks'
import { routeHash } from '../router.ts'
import { useNodeEvents } from '../node-events.ts'

/**
 * Says when content the gateway showed could not be kept offline (its write failed after the
 * blocks went out, usually a full quota): shown, but not stored. Until dismissed.
 */
export function NotKeptNotice (): JSX.Element | null {
  const [notKept, setNotKept] = useState<{ blocks: Set<string>, error: { name: string, message: string } } | null>(null)
  useNodeEvents(['blocks.not-kept'], event => {
    setNotKept(current => ({ blocks: new Set([...current?.blocks ?? [], event.detail.cid]), error: event.detail.error }))
  }, [])
  if (notKept === null) return null
  const count = notKept.blocks.size
  return (
    <div class='update warning' role='alert' data-testid='not-kept'>
      Content you opened was shown but not kept offline ({count} block{count === 1 ? '' : 's'}): {notKept.error.message}{' '}
      {notKept.error.name === 'StorageFullError' && <>Free space in the <a href={routeHash({ view: 'library' })}>Library</a>, then open it again. </>}
      <button onClick={() => setNotKept(null)}>Dismiss</button>
    </div>
  )
}
