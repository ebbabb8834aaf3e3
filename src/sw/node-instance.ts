import { logger } from '@libp2p/logger'
import { ready } from '../hotpath/index.ts'
import { IdbBlockstore } from '../node/blockstore/idb-blockstore.ts'
import { createCairnNode, type CairnNode } from '../node/cairn-node.ts'
import { recoverImports } from '../node/car/car-import.ts'
import { ImportLog } from '../node/car/import-log.ts'
import { openCairnDatabase, type CairnSchema } from '../node/database.ts'
import type { IDBPDatabase } from 'idb'

const log = logger('cairn:sw:node')

/** What the Service Worker runs: the node, its blockstore and the CAR import log. */
export interface NodeServices {
  node: CairnNode
  blockstore: IdbBlockstore
  imports: ImportLog
  db: IDBPDatabase<CairnSchema>
}

let services: Promise<NodeServices> | undefined

async function start (): Promise<NodeServices> {
  const started = performance.now()
  const [db] = await Promise.all([openCairnDatabase(), ready()])
  const blockstore = new IdbBlockstore(db)
  const imports = new ImportLog(db)
  // An import the browser cut short (the worker was stopped) is taken back before anything else.
  await recoverImports(blockstore, imports)
  log('node ready in %d ms', Math.round(performance.now() - started))
  const node = createCairnNode({
    blockstore,
    estimateStorage: async () => navigator.storage?.estimate?.() ?? {}
  })
  return { node, blockstore, imports, db }
}

/**
 * The node's services, started on first use. The browser may stop the Service Worker at any
 * time, so nothing is started eagerly and everything durable lives in IndexedDB. A failed
 * start is retried on the next call.
 */
export async function getServices (): Promise<NodeServices> {
  services ??= start().catch(err => {
    services = undefined
    throw err
  })
  return services
}

/** The node, started on first use. */
export async function getNode (): Promise<CairnNode> {
  return (await getServices()).node
}
