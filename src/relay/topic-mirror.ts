import { TopicValidatorResult, type GossipSub } from '@libp2p/gossipsub'
import { RateLimiter } from '../lib/rate-limiter.ts'
import { MAX_MESSAGE_BYTES } from '../rooms/limits.ts'

/** What the mirror needs to know and may report. */
export interface TopicMirrorInit {
  maxTopics: number
  messagesPerSecond: number
  log: (line: string) => void
}

/**
 * Makes the relay a member of every topic its peers subscribe to, so gossip flows between
 * browsers that only reach the relay, and leaves a topic when its last subscriber goes.
 * Forwarded messages are checked: at most 64 KiB, and each peer rate limited.
 */
export class TopicMirror {
  private readonly pubsub: GossipSub
  private readonly init: TopicMirrorInit
  private readonly limiter: RateLimiter
  /** Messages the relay refused, by reason. */
  readonly dropped = { oversized: 0, flooding: 0 }

  constructor (pubsub: GossipSub, init: TopicMirrorInit) {
    this.pubsub = pubsub
    this.init = init
    this.limiter = new RateLimiter({ perSecond: init.messagesPerSecond, burst: init.messagesPerSecond * 5 })
    pubsub.addEventListener('subscription-change', event => {
      for (const { topic, subscribe } of event.detail.subscriptions) {
        if (subscribe) this.join(topic)
        else this.leaveIfEmpty(topic)
      }
    })
  }

  /** Leaves every topic nobody subscribes to any more (call when a peer disconnects). */
  sweep (): void {
    for (const topic of this.pubsub.getTopics()) this.leaveIfEmpty(topic)
  }

  private join (topic: string): void {
    const topics = this.pubsub.getTopics()
    if (topics.includes(topic)) return
    if (topics.length >= this.init.maxTopics) {
      this.init.log(`not forwarding topic ${JSON.stringify(topic)}: already at --max-topics ${this.init.maxTopics}`)
      return
    }
    this.pubsub.topicValidators.set(topic, (peer, message) => {
      if (message.data.byteLength > MAX_MESSAGE_BYTES) {
        this.dropped.oversized++
        return TopicValidatorResult.Reject
      }
      if (!this.limiter.take(peer.toString())) {
        this.dropped.flooding++
        return TopicValidatorResult.Ignore
      }
      return TopicValidatorResult.Accept
    })
    this.pubsub.subscribe(topic)
    this.init.log(`forwarding topic ${JSON.stringify(topic)}`)
  }

  private leaveIfEmpty (topic: string): void {
    if (!this.pubsub.getTopics().includes(topic) || this.pubsub.getSubscribers(topic).length > 0) return
    this.pubsub.unsubscribe(topic)
    this.pubsub.topicValidators.delete(topic)
    this.init.log(`stopped forwarding topic ${JSON.stringify(topic)}: no subscribers left`)
  }
}
