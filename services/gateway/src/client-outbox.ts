// The slow-client policy, shared by WebSocket and SSE clients. A client gets every update while its
// transport keeps up. Once bytes pile up in its socket buffer beyond `highWaterBytes`, updates stop
// being written and wait here instead, at most one per key (one per index and kind): a newer update
// replaces the waiting one and counts as conflated. So memory per client is bounded by the number of
// keys, never by the update rate. A client that stays behind for `maxBehindMs`, or whose socket buffer
// passes `maxBufferedBytes`, gets a "too slow" verdict; the transport tells it and disconnects it.

/** Where an outbox writes: a WebSocket or an SSE response. */
export interface OutboxSink<M> {
  /** Bytes handed to the transport but not yet written to the network. */
  bufferedBytes(): number;
  send(message: M): void;
}

export interface OutboxPolicy {
  /** Above this many buffered bytes, updates wait (conflated) instead of being written. */
  readonly highWaterBytes: number;
  /** Buffered bytes beyond which the client is too slow at once. */
  readonly maxBufferedBytes: number;
  /** How long updates may keep waiting, without the backlog ever clearing, before the client is too slow. */
  readonly maxBehindMs: number;
}

/** Why a client was judged too slow: the figures it is told before it is disconnected. */
export interface TooSlowVerdict {
  readonly behindMs: number;
  readonly bufferedBytes: number;
  readonly pending: number;
  readonly conflated: number;
}

export type OfferOutcome = 'sent' | 'queued' | 'conflated';

export class ClientOutbox<M> {
  readonly #sink: OutboxSink<M>;
  readonly #policy: OutboxPolicy;
  readonly #merge: (waiting: M, newer: M) => M;
  readonly #now: () => number;
  /** Insertion-ordered, so the key that has waited longest is written first. */
  readonly #pending = new Map<string, M>();
  #behindSince: number | null = null;
  #sent = 0;
  #conflated = 0;

  /**
   * `merge` builds the one message that replaces a waiting one (e.g. the newer level, flagged with
   * how many it stands for). `now` is the clock, injected so the policy is testable.
   */
  constructor(options: {
    sink: OutboxSink<M>;
    policy: OutboxPolicy;
    merge: (waiting: M, newer: M) => M;
    now: () => number;
  }) {
    this.#sink = options.sink;
    this.#policy = options.policy;
    this.#merge = options.merge;
    this.#now = options.now;
  }

  get sent(): number {
    return this.#sent;
  }

  get conflated(): number {
    return this.#conflated;
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Writes `message` now if the client keeps up, else keeps it as the latest waiting one for `key`. */
  offer(key: string, message: M): OfferOutcome {
    this.flush();
    // A key already waiting must stay behind its waiting message, or its updates would reorder.
    if (this.#pending.size === 0 && this.#belowHighWater()) {
      this.#write(message);
      return 'sent';
    }
    const waiting = this.#pending.get(key);
    this.#behindSince ??= this.#now();
    if (waiting === undefined) {
      this.#pending.set(key, message);
      return 'queued';
    }
    this.#pending.set(key, this.#merge(waiting, message));
    this.#conflated += 1;
    return 'conflated';
  }

  /** Writes waiting messages, oldest key first, while the transport stays below the high-water mark. */
  flush(): void {
    for (const [key, message] of this.#pending) {
      if (!this.#belowHighWater()) return;
      this.#pending.delete(key);
      this.#write(message);
    }
    if (this.#pending.size === 0) this.#behindSince = null;
  }

  /** Returns why the client is too slow, or null while it is within the policy. */
  verdict(): TooSlowVerdict | null {
    const bufferedBytes = this.#sink.bufferedBytes();
    const behindMs = this.#behindSince === null ? 0 : this.#now() - this.#behindSince;
    if (bufferedBytes > this.#policy.maxBufferedBytes || behindMs > this.#policy.maxBehindMs) {
      return { behindMs, bufferedBytes, pending: this.#pending.size, conflated: this.#conflated };
    }
    return null;
  }

  #belowHighWater(): boolean {
    return this.#sink.bufferedBytes() <= this.#policy.highWaterBytes;
  }

  #write(message: M): void {
    this.#sink.send(message);
    this.#sent += 1;
  }
}
