// One desk client's session, whatever its transport: its subscriptions, its outbox (the slow-client
// policy, client-outbox.ts) and its timers. The transport (ws-route.ts, sse-route.ts) supplies the
// bytes-buffered figure, the write, and how to tell and drop a client that is too slow.
import { ClientOutbox, type OutboxPolicy, type TooSlowVerdict } from './client-outbox.js';
import type { Entitlements } from './entitlements.js';
import type { FeedHub, Subscriber } from './feed-hub.js';
import { type FeedLimits, TooManySubscriptionsError } from './feed-limits.js';
import { NotEntitledError, UnknownIndexError } from './gateway-errors.js';
import { mergeOutbound, type Outbound, outboxKey, type ServerMessage } from './protocol.js';

export interface SessionTransport {
  bufferedBytes(): number;
  write(outbound: Outbound): void;
  /** Tells the client it is too slow (bypassing the outbox) and disconnects it. */
  dropTooSlow(message: ServerMessage): void;
}

export interface SessionCounters {
  onSent?(count: number): void;
  onConflated?(count: number): void;
  onTooSlow?(verdict: TooSlowVerdict): void;
}

export interface FeedSessionOptions {
  readonly hub: FeedHub;
  readonly entitlements: Entitlements;
  readonly transport: SessionTransport;
  readonly policy: OutboxPolicy;
  /** How often a backlogged session retries writing and re-checks the policy. */
  readonly flushIntervalMs?: number;
  readonly counters?: SessionCounters;
  readonly now?: () => number;
  /** Known ids and the subscription cap; absent: any id, no cap (unit tests of the outbox). */
  readonly limits?: Pick<FeedLimits, 'isKnownIndex' | 'maxSubscriptionsPerSession' | 'onRefused'>;
}

export class FeedSession implements Subscriber {
  readonly #hub: FeedHub;
  readonly #entitlements: Entitlements;
  readonly #transport: SessionTransport;
  readonly #outbox: ClientOutbox<Outbound>;
  readonly #subscriptions = new Set<string>();
  readonly #flushIntervalMs: number;
  readonly #counters: SessionCounters;
  readonly #limits: FeedSessionOptions['limits'];
  #flushTimer: ReturnType<typeof setInterval> | null = null;
  #closed = false;

  constructor(options: FeedSessionOptions) {
    this.#hub = options.hub;
    this.#entitlements = options.entitlements;
    this.#transport = options.transport;
    this.#flushIntervalMs = options.flushIntervalMs ?? 50;
    this.#counters = options.counters ?? {};
    this.#limits = options.limits;
    this.#outbox = new ClientOutbox<Outbound>({
      sink: {
        bufferedBytes: () => this.#transport.bufferedBytes(),
        send: (outbound) => this.#transport.write(outbound),
      },
      policy: options.policy,
      merge: mergeOutbound,
      now: options.now ?? Date.now,
    });
  }

  get desk(): string {
    return this.#entitlements.desk;
  }

  get subscriptions(): readonly string[] {
    return [...this.#subscriptions];
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Subscribes to all of `indices` or none: throws NotEntitledError, UnknownIndexError or
   * TooManySubscriptionsError for the request as a whole.
   */
  subscribe(indices: readonly string[]): void {
    const added = this.admit(indices);
    this.deliver({ message: { type: 'subscribed', indices: added }, text: null });
    for (const id of added) {
      this.#subscriptions.add(id);
      this.#hub.subscribe(this, id);
    }
  }

  /** The ids `subscribe(indices)` would add, or the error it would throw; changes nothing. */
  admit(indices: readonly string[]): string[] {
    const refused = indices.find((id) => !this.#entitlements.allows(id));
    if (refused !== undefined) throw new NotEntitledError(this.#entitlements.desk, refused);
    const added = indices.filter((id) => !this.#subscriptions.has(id));
    const limits = this.#limits;
    if (limits !== undefined) {
      const unknown = added.find((id) => !limits.isKnownIndex(id));
      if (unknown !== undefined) {
        limits.onRefused?.('unknown_index');
        throw new UnknownIndexError(unknown.slice(0, 200));
      }
      const total = this.#subscriptions.size + added.length;
      if (total > limits.maxSubscriptionsPerSession) {
        limits.onRefused?.('too_many_subscriptions');
        throw new TooManySubscriptionsError(limits.maxSubscriptionsPerSession, total);
      }
    }
    return added;
  }

  unsubscribe(indices: readonly string[]): void {
    const removed = indices.filter((id) => this.#subscriptions.delete(id));
    for (const id of removed) this.#hub.unsubscribe(this, id);
    this.deliver({ message: { type: 'unsubscribed', indices: removed }, text: null });
  }

  deliver(outbound: Outbound): void {
    if (this.#closed) return;
    const outcome = this.#outbox.offer(outboxKey(outbound.message), outbound);
    if (outcome === 'sent') {
      this.#counters.onSent?.(1);
      return;
    }
    if (outcome === 'conflated') this.#counters.onConflated?.(1);
    this.#check();
    if (!this.#closed && this.#flushTimer === null) {
      this.#flushTimer = setInterval(() => this.#onFlushTick(), this.#flushIntervalMs);
    }
  }

  /** Ends the session: leaves every index and stops its timers. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const id of this.#subscriptions) this.#hub.unsubscribe(this, id);
    this.#subscriptions.clear();
    if (this.#flushTimer !== null) clearInterval(this.#flushTimer);
    this.#flushTimer = null;
  }

  #onFlushTick(): void {
    const before = this.#outbox.sent;
    this.#outbox.flush();
    if (this.#outbox.sent > before) this.#counters.onSent?.(this.#outbox.sent - before);
    this.#check();
    if (this.#outbox.pendingCount === 0 && this.#flushTimer !== null) {
      clearInterval(this.#flushTimer);
      this.#flushTimer = null;
    }
  }

  #check(): void {
    const verdict = this.#outbox.verdict();
    if (verdict === null) return;
    this.#counters.onTooSlow?.(verdict);
    this.close();
    this.#transport.dropTooSlow({ type: 'slow_consumer', ...verdict });
  }
}
