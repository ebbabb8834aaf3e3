import type { JSX } from 'preact'
import type { NameChain } from '../../names/name-chain.ts'
import type { NameStep } from '../../names/name-resolver.ts'
import { routeHash } from '../router.ts'

function when (ms: number): string {
  return new Date(ms).toLocaleString()
}

function duration (ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`
  if (ms < 172_800_000) return `${Math.round(ms / 3_600_000)} h`
  return `${Math.round(ms / 86_400_000)} days`
}

/** How current a step's answer is, in words. */
function freshness (step: NameStep): string {
  if (step.state === 'fresh') return `checked ${when(step.fetchedAt)}`
  if (step.state === 'stale') return `as of ${when(step.fetchedAt)}; checking again now`
  return `as of ${when(step.fetchedAt)}: no source could be asked, so the kept answer is shown`
}

function Step ({ step }: { step: NameStep }): JSX.Element {
  const host = new URL(step.source).host
  return (
    <li data-testid='name-step' data-state={step.state}>
      <strong class='mono'>{step.name}</strong> <span class='muted small'>({step.kind === 'ipns' ? 'IPNS name' : 'DNSLink'})</span>
      {' → '}<code data-testid='name-value'>{step.value}</code>
      <div class='muted small'>
        {step.kind === 'ipns'
          ? <>record sequence {step.sequence}, signature verified, valid until {step.validUntil === undefined ? '?' : when(step.validUntil)}</>
          : <>TXT record of <span class='mono'>_dnslink.{step.name}</span></>}
        {' · '}TTL {duration(step.ttlMs)} · from {host} · <span data-testid='name-freshness'>{freshness(step)}</span>
        {step.expired && <strong class='warning'> · the record has expired: nothing newer could be had</strong>}
      </div>
    </li>
  )
}

/** The names an `/ipns/` path went through to reach content, each with its record and how current it is. */
export function NameChainView ({ chain }: { chain: NameChain }): JSX.Element {
  return (
    <section class='name-chain' data-testid='name-chain'>
      <ol class='plain'>
        {chain.steps.map(step => <Step key={step.name} step={step} />)}
      </ol>
      <p class='small'>
        Resolved to <a href={routeHash({ view: 'explore', path: chain.resolved })} class='mono' data-testid='name-resolved'>{chain.resolved}</a>
        {chain.stale && <span class='muted'> (as of {when(chain.asOf)})</span>}
      </p>
    </section>
  )
}
