import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { IDBBlockstore } from 'blockstore-idb'
import { IDBDatastore } from 'datastore-idb'
import { createHelia, type Helia } from 'helia'
import { deleteDB } from 'idb'

/** A reference Helia in a page, offline (no transports, routers or gateways), on `blockstore-idb` and `datastore-idb`. */
export interface IdbHelia {
  helia: Helia
  blockstore: IDBBlockstore
  /** Stops Helia, closes the stores and deletes their databases. */
  remove: () => Promise<void>
}

/** Opens the stores (`<name>-blocks`, `<name>-data`); `start` makes and starts Helia on them once they are filled. */
export async function idbStores (name: string): Promise<{ blockstore: IDBBlockstore, start: () => Promise<IdbHelia> }> {
  const blockstore = new IDBBlockstore(`${name}-blocks`)
  const datastore = new IDBDatastore(`${name}-data`)
  await blockstore.open()
  await datastore.open()
  return {
    blockstore,
    start: async () => {
      const helia = await createHelia({
        blockstore,
        datastore,
        libp2p: { config: 'replace', addresses: { listen: [] }, transports: [], connectionEncrypters: [noise()], streamMuxers: [yamux()] },
        http: { delegatedRouters: [], recursiveGateways: [] },
        routers: []
      })
      await helia.start()
      return {
        helia,
        blockstore,
        remove: async () => {
          await helia.stop()
          await blockstore.close()
          await datastore.close()
          await deleteDB(`${name}-blocks`)
          await deleteDB(`${name}-data`)
        }
      }
    }
  }
}
