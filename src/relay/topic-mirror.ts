import { TopicValidatorResult, type GossipSub, type Message } from '@libp2p/gossipsub'
import { RateLimiter } from '../lib/rate-limiter.ts'
import { DEFAULT_SYNC_LIMITS } from '../rooms/history-sync.ts'
import { MAX_MESSAGE_BYTES } from '../rooms/limits.ts'
import { isRoomTopic } from '../rooms/message.ts'
import { checkTopicMessage, type TopicRefusal, type TopicVerdict } from '../rooms/topic-check.ts'

/** What the mirror needs to know and may report. */
export interface TopicMirrorInit {
  maxTopics: number
  messagesPerSecond: number
  log: (line: string) => void
}

/**
 * Makes the relay a member of every topic its peers subscribe to, so gossip flows between
 * browsers that only reach the relay, and leaves a topic when its last subscriber goes.
 * Every message is judged before it is forwarded, by the rule members apply
 * (`checkTopicMessage`: size, a readable message of this room, said by its signer, a history
 * entry's signature its author's, no entry from the future), and each peer is rate limited:
 * a forgery reaches no member through the relay. Refusals are counted by reason.
 */
export class TopicMirror {
  private readonly pubsub: GossipSub
  /**
   * The verdicts on messages accepted, by message: gossipsub hands the object it validated to
   * its `message` listeners, so the archive reads a message once, not twice (reading checks
   * an Ed25519 signature, the larger part of the relay's work per message).
   */
  private readonly accepted = new WeakMap<Message, TopicVerdict>()
  private readonly init: TopicMirrorInit
  private readonly limiter: RateLimiter
  /** Messages the relay refused, by reason. */
  readonly dropped: Record<TopicRefusal | 'flooding', number> = { oversized: 0, malformed: 0, spoofed: 0, future: 0, flooding: 0 }

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

  /** The verdict this mirror reached on a room message it accepted (undefined: it did not judge it). */
  verdictOf (message: Message): TopicVerdict | undefined {
    return this.accepted.get(message)
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
    // Room topics carry room messages; others (peer discovery) are only bounded in size and rate.
    const room = isRoomTopic(topic)
    this.pubsub.topicValidators.set(topic, async (peer, message) => {
      if (message.type !== 'signed') {
        this.dropped.malformed++
        return TopicValidatorResult.Reject
      }
      if (!this.limiter.take(peer.toString())) {
        this.dropped.flooding++
        return TopicValidatorResult.Ignore
      }
      if (!room) {
        if (message.data.byteLength <= MAX_MESSAGE_BYTES) return TopicValidatorResult.Accept
        this.dropped.oversized++
        return TopicValidatorResult.Reject
      }
      const verdict = await checkTopicMessage(message.data, { room: topic, from: message.from.toString(), now: Date.now(), maxFutureMs: DEFAULT_SYNC_LIMITS.maxFutureMs })
      if (verdict.ok) {
        this.accepted.set(message, verdict)
        return TopicValidatorResult.Accept
      }
      this.dropped[verdict.reason]++
      return TopicValidatorResult.Reject
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
