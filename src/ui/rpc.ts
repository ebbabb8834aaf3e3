import { RpcClient, serviceWorkerTarget } from '../rpc/client.ts'

/** The page's connection to the node in the Service Worker. */
export const rpc = new RpcClient({ target: serviceWorkerTarget })
