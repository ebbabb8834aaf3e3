/**
 * One side of the bridge's MessagePort. Everything posted during one task goes across as a
 * single message (an array), with all its transfers: a 2 MiB write from libp2p is 128
 * data-channel messages, and one postMessage instead of 128 is most of the bridge's cost.
 * Order is kept, within and across batches.
 */
export class BatchedPort<Out, In> {
  private readonly port: MessagePort
  private batch: Out[] = []
  private transfer: Transferable[] = []

  constructor (port: MessagePort, receive: (message: In) => void) {
    this.port = port
    port.onmessage = (event: MessageEvent<In[]>) => { for (const message of event.data) receive(message) }
    port.start()
  }

  /** Queues a message; the batch leaves when the current task's microtasks run. */
  post (message: Out, transfer: Transferable[] = []): void {
    this.batch.push(message)
    for (const t of transfer) this.transfer.push(t)
    if (this.batch.length === 1) queueMicrotask(() => this.flush())
  }

  /** Sends what is queued now (before closing, or when the page is being unloaded). */
  flush (): void {
    if (this.batch.length === 0) return
    const batch = this.batch
    const transfer = this.transfer
    this.batch = []
    this.transfer = []
    this.port.postMessage(batch, transfer)
  }

  /** Drops anything queued and closes the port. */
  close (): void {
    this.batch = []
    this.transfer = []
    this.port.close()
  }
}
