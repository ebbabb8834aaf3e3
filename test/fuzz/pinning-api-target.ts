import { CID } from 'multiformats/cid'
import { PinApiError } from '../../src/relay/home/pin-api-error.ts'
import { parsePinQuery } from '../../src/relay/home/pin-query.ts'
import { PIN_STATUSES } from '../../src/relay/home/pin-records.ts'
import { readPinRequest } from '../../src/relay/home/pin-service.ts'
import type { Rng } from './rng.ts'
import type { FuzzTarget } from './targets.ts'

const utf8 = new TextEncoder()
const text = new TextDecoder()

/** An input's first byte says which reader it is for: `?` a `GET /pins` query, `{` a `Pin` body. */
const QUERY = 0x3f

/** Queries and bodies shaped as the Pinning Service API's OpenAPI file describes them. */
const SEEDS = [
  '?cid=QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG,bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi&name=photos&match=ipartial&status=queued,pinning,pinned,failed&before=2020-07-27T17:32:28.276Z&after=2020-07-27T17:32:28Z&limit=1000&meta={"app_id":"99986338-1113-4706-8302-4420da6158aa"}',
  '?limit=1',
  '?status=pinned&limit=0',
  '?before=2020-13-45T99:99:99Z',
  '{"cid":"bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi","name":"PreciousData.pdf","origins":["/ip4/203.0.113.142/tcp/4001/p2p/QmSourcePeerId","/ip4/203.0.113.114/udp/4001/quic-v1/p2p/12D3KooWEDMw7oRqQkdCJbyeqS5mUmWGwTp8JJ2tjCzTkHboF6wK"],"meta":{"app_id":"99986338-1113-4706-8302-4420da6158aa"}}',
  '{"cid":"QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"}',
  '{"cid":"not a cid","extra":1}'
].map(seed => utf8.encode(seed))

const KEYS = ['cid', 'name', 'match', 'status', 'before', 'after', 'limit', 'meta', 'other']
const VALUES = ['', '1', '1001', 'exact', 'partial', 'pinned,failed', 'bafkqaaa', 'bafkqaaa,bafkqaaa', '2024-01-01T00:00:00+02:00', '{}', '{"a":1}', '[]', 'null', '%', '\u0000']

/**
 * The home node's readers of outside input on its Pinning Service API: `GET /pins` query
 * strings and `Pin` bodies, anything a client can send. Each input is read into a checked
 * query or pin, or refused with a 400 `PinApiError`; anything else is a finding, and so is a
 * read result outside the API's bounds.
 */
export function pinningApiTarget (): FuzzTarget {
  return {
    name: 'pinning-api',
    seeds: () => SEEDS,
    fresh: (rng: Rng) => {
      if (rng.chance(0.5)) {
        const pairs = Array.from({ length: 1 + rng.below(5) }, () => `${rng.pick(KEYS)}=${encodeURIComponent(rng.pick(VALUES))}`)
        return utf8.encode(`?${pairs.join('&')}`)
      }
      const fields = Array.from({ length: rng.below(5) }, () => `${JSON.stringify(rng.pick(['cid', 'name', 'origins', 'meta', 'x']))}:${rng.pick(['"bafkqaaa"', '[]', '["/ip4/1.2.3.4/tcp/1"]', '{}', '1', 'null', '"a"'])}`)
      return utf8.encode(`{${fields.join(',')}}`)
    },
    async check (input) {
      try {
        if (input[0] === QUERY) {
          const query = parsePinQuery(new URLSearchParams(text.decode(input.subarray(1))))
          if (query.limit < 1 || query.limit > 1000) return `limit ${query.limit} was let through`
          if ([...query.statuses].some(s => !(PIN_STATUSES as readonly string[]).includes(s))) return `a status outside the API: ${[...query.statuses].join(',')}`
          if (query.cids !== undefined && (query.cids.size < 1 || query.cids.size > 10)) return `${query.cids.size} CIDs were let through`
          return undefined
        }
        let body: unknown
        try {
          body = JSON.parse(text.decode(input))
        } catch {
          return undefined // not JSON: the API answers 400 before reading a Pin
        }
        const pin = readPinRequest(body)
        CID.parse(pin.cid)
        if (pin.name !== undefined && (typeof pin.name !== 'string' || pin.name.length > 255)) return 'a bad name was let through'
        return undefined
      } catch (err) {
        if (err instanceof PinApiError && err.status === 400) return undefined
        return `threw ${(err as Error).name}: ${(err as Error).message}`
      }
    }
  }
}
