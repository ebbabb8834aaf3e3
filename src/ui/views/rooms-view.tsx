import type { JSX } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import type { DropCounts, LiveMessage, RoomMember, RoomSummary } from '../../rooms/room-service.ts'
import { HISTORY_LIMIT_RANGE } from '../../rooms/limits.ts'
import type { StoredMessage } from '../../rooms/room-store.ts'
import { LIMITS } from '../../rooms/message.ts'
import { ErrorMessage } from '../components/error-message.tsx'
import { DownloadLink } from '../components/download-link.tsx'
import { placeMessage } from '../live-messages.ts'
import { useNodeEvents } from '../node-events.ts'
import { navigate, routeHash } from '../router.ts'
import { rpc } from '../rpc.ts'

function shortPeer (peerId: string): string {
  return `…${peerId.slice(-8)}`
}

function time (ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })
}

/** Runs an action, showing its error until the next one. */
function useAction (): [Error | null, (action: () => Promise<unknown>) => Promise<void>] {
  const [error, setError] = useState<Error | null>(null)
  return [error, async action => {
    setError(null)
    try {
      await action()
    } catch (err) {
      setError(err as Error)
    }
  }]
}

function RoomList ({ rooms, current, nick, historyLimit, drops, onChange }: { rooms: RoomSummary[], current: string, nick: string, historyLimit: number, drops: DropCounts | null, onChange: () => void }): JSX.Element {
  const [name, setName] = useState('')
  const [nickDraft, setNickDraft] = useState<string | null>(null)
  const [limitDraft, setLimitDraft] = useState<string | null>(null)
  const [error, run] = useAction()
  const refused = drops === null ? 0 : drops.malformed + drops.oversized + drops.unsigned + drops.spoofed + drops.flooding + drops.future
  return (
    <aside class='rooms-side'>
      <form class='bar' onSubmit={e => {
        e.preventDefault()
        void run(async () => {
          await rpc.call('rooms.join', { room: name })
          navigate({ view: 'rooms', room: name })
          setName('')
          onChange()
        })
      }}>
        <input aria-label='Room name' placeholder='room name' value={name} maxLength={LIMITS.room} onInput={e => setName(e.currentTarget.value)} />
        <button type='submit'>Join</button>
      </form>
      <ul class='room-list' data-testid='room-list'>
        {rooms.map(r => (
          <li key={r.room}>
            <a href={routeHash({ view: 'rooms', room: r.room })} aria-current={r.room === current ? 'page' : undefined}>{r.room}</a>{' '}
            <span class='muted'>({r.members})</span>
          </li>
        ))}
        {rooms.length === 0 && <li class='muted'>No rooms yet: join one by name. Anyone who joins the same name is in the same room.</li>}
      </ul>
      <form class='bar' onSubmit={e => {
        e.preventDefault()
        if (nickDraft === null) return
        void run(async () => {
          await rpc.call('rooms.nick', { nick: nickDraft })
          setNickDraft(null)
          onChange()
        })
      }}>
        <input aria-label='Nickname' value={nickDraft ?? nick} maxLength={LIMITS.nick} onInput={e => setNickDraft(e.currentTarget.value)} />
        <button type='submit' disabled={nickDraft === null}>Set nickname</button>
      </form>
      <form class='bar' onSubmit={e => {
        e.preventDefault()
        if (limitDraft === null) return
        void run(async () => {
          await rpc.call('rooms.historyLimit', { limit: Number(limitDraft) })
          setLimitDraft(null)
          onChange()
        })
      }}>
        <label class='small'>History kept: the last{' '}
          <input type='number' name='historyLimit' aria-label='History limit' min={HISTORY_LIMIT_RANGE.min} max={HISTORY_LIMIT_RANGE.max} value={limitDraft ?? String(historyLimit)} onInput={e => setLimitDraft(e.currentTarget.value)} /> (or 7 days)
        </label>
        <button type='submit' class='secondary' disabled={limitDraft === null}>Set</button>
      </form>
      {error !== null && <ErrorMessage error={error} />}
      {refused > 0 && drops !== null && (
        <p class='muted small' data-testid='drops'>Refused messages: {drops.malformed} malformed, {drops.oversized} oversized, {drops.unsigned} unsigned, {drops.spoofed} spoofed, {drops.flooding} over the rate limit, {drops.future} from the future.</p>
      )}
    </aside>
  )
}

/**
 * The room's history as content: its head (the newest message, which links all before it),
 * to open in the explorer, download as a CAR, or pin in the Library.
 */
function HistoryBar ({ room, heads }: { room: string, heads: string[] }): JSX.Element | null {
  const [pinned, setPinned] = useState<string | null>(null)
  const [error, run] = useAction()
  const head = heads[heads.length - 1]
  if (head === undefined) return null
  return (
    <p class='muted small history-bar' data-testid='room-history'>
      History head <code data-testid='room-head'>{head}</code>{heads.length > 1 && ` (and ${heads.length - 1} more: concurrent messages; the next one links them)`} ·{' '}
      <a href={routeHash({ view: 'explore', path: `/ipfs/${head}` })}>Open in explorer</a> ·{' '}
      <DownloadLink cid={head} format='car' filename={`${room}-history.car`}>Download history</DownloadLink> ·{' '}
      {pinned === head
        ? <span data-testid='history-pinned'>Pinned in the Library</span>
        : <button type='button' class='link' onClick={() => { void run(async () => { await rpc.call('pin.add', { cid: head, name: `${room} (room history)` }); setPinned(head) }) }}>Pin history</button>}
      {error !== null && <ErrorMessage error={error} />}
    </p>
  )
}

function Room ({ room, onLeft }: { room: string, onLeft: () => void }): JSX.Element {
  const [messages, setMessages] = useState<StoredMessage[]>([])
  const [members, setMembers] = useState<RoomMember[]>([])
  const [heads, setHeads] = useState<string[]>([])
  const [text, setText] = useState('')
  const [sending, setSending] = useState(false)
  const [error, run] = useAction()
  const [loadError, setLoadError] = useState<Error | null>(null)
  const log = useRef<HTMLOListElement>(null)

  const loadHistory = (): void => {
    rpc.call('rooms.history', { room }).then(h => { show(h.messages); setMembers(h.members); setHeads(h.heads) }, setLoadError)
  }
  useEffect(() => {
    show([])
    setLoadError(null)
    loadHistory()
  }, [room])
  useNodeEvents(['room.message', 'room.members', 'room.history'], event => {
    if (event.type === 'room.history') {
      // Older messages arrived: read the whole (causally ordered) history again.
      if (event.detail.room === room) loadHistory()
    } else if (event.type === 'room.message') {
      const message = event.detail
      if (message.room === room) {
        place(message)
        setHeads(message.heads)
      }
    } else {
      if (event.detail.room === room) setMembers(event.detail.members)
    }
  }, [room])
  // A new message at the end follows the reader who is at the end; anyone reading further up
  // stays where they are (the browser's scroll anchoring keeps the view when one is inserted above).
  const atEnd = useRef(true)
  // What is shown, as of the last change (messages may arrive faster than renders).
  const shown = useRef<StoredMessage[]>([])
  const show = (list: StoredMessage[]): void => { shown.current = list; setMessages(list) }
  const place = (message: LiveMessage): void => {
    const el = log.current
    atEnd.current = el === null || el.scrollHeight - el.scrollTop - el.clientHeight < 24
    const placed = placeMessage(shown.current, message)
    if (placed === undefined) loadHistory()
    else show(placed)
  }
  useEffect(() => { if (atEnd.current) log.current?.lastElementChild?.scrollIntoView({ block: 'end' }) }, [messages.length])

  if (loadError !== null) return <ErrorMessage error={loadError} />
  return (
    <section class='room' data-room={room}>
      <div class='row'>
        <h2>{room}</h2>
        <button type='button' class='secondary' onClick={() => { void run(async () => { await rpc.call('rooms.leave', { room }); onLeft() }) }}>Leave</button>
      </div>
      <HistoryBar room={room} heads={heads} />
      <div class='room-body'>
        <ol class='messages' ref={log} data-testid='messages' aria-live='polite'>
          {messages.map(m => (
            <li key={m.id} class={m.mine ? 'mine' : undefined}>
              <span class='nick' title={m.author}>{m.nick}</span> <span class='muted small'>{time(m.timestamp)}</span>
              <div class='text'>{m.text}</div>
            </li>
          ))}
          {messages.length === 0 && <li class='muted'>No messages yet.</li>}
        </ol>
        <ul class='members' data-testid='members' aria-label='Members'>
          {members.map(m => <li key={m.peerId} title={m.peerId}>{m.nick} <span class='muted small'>{m.self ? '(you)' : shortPeer(m.peerId)}</span></li>)}
        </ul>
      </div>
      <form class='bar' onSubmit={e => {
        e.preventDefault()
        setSending(true)
        void run(async () => {
          const { message } = await rpc.call('rooms.send', { room, text })
          place(message)
          setHeads(message.heads)
          setText('')
        }).finally(() => setSending(false))
      }}>
        <input aria-label='Message' placeholder={`message ${room}`} value={text} maxLength={LIMITS.text} onInput={e => setText(e.currentTarget.value)} />
        <button type='submit' disabled={sending || text.trim() === ''}>Send</button>
      </form>
      {error !== null && <ErrorMessage error={error} />}
    </section>
  )
}

/** Chat rooms: the joined rooms, nickname, and the selected room's messages and members. */
export function RoomsView ({ room }: { room: string }): JSX.Element {
  const [state, setState] = useState<{ rooms: RoomSummary[], nick: string, drops: DropCounts, historyLimit: number } | null>(null)
  const [error, setError] = useState<Error | null>(null)
  const load = (): void => { rpc.call('rooms.list', {}).then(setState, setError) }
  useEffect(load, [])
  useNodeEvents(['room.list', 'room.members'], load, [])
  if (error !== null) return <ErrorMessage error={error} />
  if (state === null) return <p class='muted'>Starting the node…</p>
  const joined = state.rooms.some(r => r.room === room)
  return (
    <div class='rooms'>
      <RoomList rooms={state.rooms} current={room} nick={state.nick} historyLimit={state.historyLimit} drops={state.drops} onChange={load} />
      {joined
        ? <Room key={room} room={room} onLeft={() => { navigate({ view: 'rooms', room: '' }); load() }} />
        : <p class='muted'>{room === '' ? 'Pick a room, or join one.' : `You are not in "${room}". Join it on the left.`}</p>}
    </div>
  )
}
