import { logger } from '@libp2p/logger'
import { ready } from '../hotpath/index.ts'
import { IdbBlockstore } from '../node/blockstore/idb-blockstore.ts'
import { createCairnNode, type CairnNode } from '../node/cairn-node.ts'
import { openCairnDatabase } from '../node/database.ts'

const log = logger('cairn:sw:node')

let node: Promise<CairnNode> | undefined

async function start (): Promise<CairnNode> {
  const started = performance.now()
  const [db] = await Promise.all([openCairnDatabase(), ready()])
  const blockstore = new IdbBlockstore(db)
  log('node ready in %d ms', Math.round(performance.now() - started))
  return createCairnNode({
    blockstore,
    estimateStorage: async () => navigator.storage?.estimate?.() ?? {}
  })
}

/**
 * The node, started on first use. The browser may stop the Service Worker at any time, so
 * nothing is started eagerly and everything durable lives in IndexedDB. A failed start is
 * retried on the next call.
 */
export async function getNode (): Promise<CairnNode> {
  node ??= start().catch(err => {
    node = undefined
    throw err
  })
  return node
}
