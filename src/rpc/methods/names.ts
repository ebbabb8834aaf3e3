import type { NameChain } from '../../names/name-chain.ts'
import type { NameKeyView } from '../../names/name-publisher.ts'
import { InvalidParamsError } from '../errors.ts'
import { fields, method, none, optionalNumber, text } from '../method.ts'

const idParam = (name: string) => (value: unknown): { id: string } => ({ id: text(fields(value, name), 'id', name) })

/** The names this node publishes: keys, import/export, publishing. */
export const nameMethods = {
  /** What a name (`k51…`, a PeerId or a DNSLink domain) points at now, with the chain followed. */
  'names.resolve': method<{ name: string }, NameChain>({ idempotent: true, params: value => ({ name: text(fields(value, 'names.resolve'), 'name', 'names.resolve') }) }),
  /** Every name key held (never the private keys), with where each was last published. */
  'names.list': method<Record<string, never>, NameKeyView[]>({ idempotent: true, params: none('names.list') }),
  /** Makes a new Ed25519 key: a new name. */
  'names.create': method<{ label: string }, NameKeyView>({ idempotent: false, params: value => ({ label: text(fields(value, 'names.create'), 'label', 'names.create') }) }),
  /** Takes a private key in the libp2p protobuf form (`ipfs key export`). */
  'names.import': method<{ label: string, key: Uint8Array }, NameKeyView>({
    idempotent: false,
    params: value => {
      const p = fields(value, 'names.import')
      if (!(p.key instanceof Uint8Array)) throw new InvalidParamsError('names.import takes "key" as bytes (a Uint8Array)')
      return { label: text(p, 'label', 'names.import'), key: p.key }
    }
  }),
  /** A name's private key in the libp2p protobuf form (`ipfs key import` reads it). */
  'names.export': method<{ id: string }, { key: Uint8Array }>({ idempotent: true, params: idParam('names.export') }),
  'names.rename': method<{ id: string, label: string }, NameKeyView>({
    idempotent: true,
    params: value => {
      const p = fields(value, 'names.rename')
      return { id: text(p, 'id', 'names.rename'), label: text(p, 'label', 'names.rename') }
    }
  }),
  /** Forgets a key: without a copy, the name can never be published again. */
  'names.delete': method<{ id: string }, Record<string, never>>({ idempotent: true, params: idParam('names.delete') }),
  /** Publishes a CID or a path under a name (next sequence); says where it was accepted. */
  'names.publish': method<{ id: string, value: string, lifetimeMs?: number, ttlMs?: number }, NameKeyView>({
    idempotent: false,
    params: value => {
      const p = fields(value, 'names.publish')
      const out: { id: string, value: string, lifetimeMs?: number, ttlMs?: number } = { id: text(p, 'id', 'names.publish'), value: text(p, 'value', 'names.publish') }
      const lifetimeMs = optionalNumber(p, 'lifetimeMs', 'names.publish')
      const ttlMs = optionalNumber(p, 'ttlMs', 'names.publish')
      if (lifetimeMs !== undefined) out.lifetimeMs = lifetimeMs
      if (ttlMs !== undefined) out.ttlMs = ttlMs
      return out
    }
  })
}
