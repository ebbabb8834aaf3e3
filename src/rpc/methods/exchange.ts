import type { ExchangeView } from '../../cairn/content-exchange.ts'
import type { FetchDagProgress, FetchDagSummary } from '../../exchange/fetch-dag.ts'
import { checkExchangeSettings, type ExchangeSettings } from '../../exchange/settings.ts'
import { fields, method, none, text } from '../method.ts'

/** Where blocks the node does not hold come from, and fetching whole DAGs. */
export const exchangeMethods = {
  /** Sources (routing endpoints, gateways), the share switch, and counts per source. */
  'exchange.get': method<Record<string, never>, ExchangeView>({ idempotent: true, params: none('exchange.get') }),
  /** Saves the exchange settings; they apply to the next block fetched. */
  'exchange.set': method<ExchangeSettings, ExchangeView>({ idempotent: true, params: checkExchangeSettings }),
  /**
   * Fetch everything: every block of the DAG under `cid` is stored afterwards (or reported
   * missing), with progress; cancellable, and resumable by calling it again.
   */
  'dag.fetch': method<{ cid: string }, FetchDagSummary, FetchDagProgress>({
    idempotent: true,
    params: value => ({ cid: text(fields(value, 'dag.fetch'), 'cid', 'dag.fetch') })
  })
}
