/**
 * Counts the pubsub messages gossipsub itself rejects before any topic validator runs —
 * unsigned messages, bad signatures, missing sequence numbers — through the metrics
 * register gossipsub accepts. Every other metric is accepted and ignored.
 */
export class GossipDropCounter {
  /** Rejections by gossipsub's reason (`invalid_signature`, `invalid_seqno`, …). */
  readonly byReason = new Map<string, number>()

  /** Gossipsub options that install the counter: `gossipsub({ ...counter.options })`. */
  get options (): { metricsRegister: GossipDropCounter['register'], metricsTopicStrToLabel: Map<string, string> } {
    return { metricsRegister: this.register, metricsTopicStrToLabel: new Map() }
  }

  /** The register gossipsub reports its metrics to. */
  readonly register = {
    gauge: (config: { name: string }) => ({
      inc: (labels?: Record<string, string | number> | number, value?: number) => {
        if (config.name !== 'gossipsub_msg_received_invalid_total' || typeof labels !== 'object') return
        const reason = String(labels.error)
        this.byReason.set(reason, (this.byReason.get(reason) ?? 0) + (value ?? 1))
      },
      set: () => {},
      addCollect: () => {}
    }),
    histogram: () => ({ startTimer: () => () => {}, observe: () => {}, reset: () => {} }),
    avgMinMax: () => ({ set: () => {} })
  }

  /** Messages rejected because they were not (validly) signed. */
  get unsigned (): number {
    let total = 0
    for (const [reason, n] of this.byReason) if (reason !== 'reject' && reason !== 'ignore' && reason !== 'blacklisted') total += n
    return total
  }
}
