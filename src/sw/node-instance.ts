import { logger } from '@libp2p/logger'
import { ready } from '../hotpath/index.ts'
import { createBlocks, type Blocks } from '../node/blocks.ts'
import { createCairnNode, type CairnNode } from '../node/cairn-node.ts'
import { webStoreLock, type StoreLock } from '../node/blockstore/store-lock.ts'
import { recoverImports } from '../node/car/car-import.ts'
import type { ImportLog } from '../node/car/import-log.ts'
import { openCairnDatabase, type CairnSchema } from '../storage/database.ts'
import { IdbBlockstore } from '../storage/idb-blockstore.ts'
import { IdbImportLog } from '../storage/idb-import-log.ts'
import type { IDBPDatabase } from 'idb'

const log = logger('cairn:sw:node')

/** What the Service Worker runs: the node, its blockstore and the CAR import log. */
export interface NodeServices {
  node: CairnNode
  /** Every reader of blocks (gateway, DAG, site channel) goes through here. */
  blocks: Blocks
  blockstore: IdbBlockstore
  imports: ImportLog
  db: IDBPDatabase<CairnSchema>
  /** Writes hold it shared, garbage collection exclusively. */
  lock: StoreLock
}

let services: Promise<NodeServices> | undefined

async function start (): Promise<NodeServices> {
  const started = performance.now()
  const [db] = await Promise.all([openCairnDatabase(), ready()])
  const blockstore = new IdbBlockstore(db)
  const imports = new IdbImportLog(db)
  const lock = webStoreLock()
  // An import the browser cut short (the worker was stopped) is taken back before anything else.
  await recoverImports(blockstore, imports, lock)
  log('node ready in %d ms', Math.round(performance.now() - started))
  const blocks = createBlocks({ blockstore })
  const node = createCairnNode({
    blocks,
    blockstore,
    estimateStorage: async () => navigator.storage?.estimate?.() ?? {}
  })
  return { node, blocks, blockstore, imports, db, lock }
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
