// Keeps subscribers' constituents tables live: after a level of a subscribed index, at most once per
// `intervalMs` per index, it takes the table the level records give (the hub's), or, when they
// cannot give one (LEVEL_CONSTITUENTS=none, or the gateway started after the day's first level),
// reads the Redis projection, and offers the result to the hub, which passes it on only if it is
// newer than what clients have.
import type { Logger } from '@indexflow/observability';
import type { ConstituentsSnapshot } from './constituents.js';
import type { FeedHub } from './feed-hub.js';

/** Reads retried while the projection is behind the latest level, before waiting for the next level. */
const MAX_STALE_RETRIES = 5;

export class ConstituentsRefresher {
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #lastRead = new Map<string, number>();
  readonly #staleReads = new Map<string, number>();
  #closed = false;

  constructor(
    private readonly options: {
      hub: FeedHub;
      read: (indexId: string) => Promise<ConstituentsSnapshot | null>;
      intervalMs: number;
      logger: Logger;
      now?: () => number;
    },
  ) {}

  /** Schedules a read of the index's projection, unless one is already due. */
  levelArrived(indexId: string): void {
    if (this.#closed || this.#timers.has(indexId) || this.options.hub.subscriberCount(indexId) === 0) return;
    const now = (this.options.now ?? Date.now)();
    const delay = Math.max(0, (this.#lastRead.get(indexId) ?? 0) + this.options.intervalMs - now);
    const timer = setTimeout(() => void this.#read(indexId), delay);
    timer.unref();
    this.#timers.set(indexId, timer);
  }

  close(): void {
    this.#closed = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  async #read(indexId: string): Promise<void> {
    this.#lastRead.set(indexId, (this.options.now ?? Date.now)());
    let behind = false;
    try {
      const snapshot = this.options.hub.recordConstituents(indexId) ?? (await this.options.read(indexId));
      if (snapshot !== null && !this.#closed) this.options.hub.offerConstituents(snapshot);
      // The projection is promoted just after the Kafka commit, so a read can land in between.
      const latest = this.options.hub.latest(indexId);
      behind = latest !== undefined && (snapshot === null || snapshot.sequence < latest.sequence);
    } catch (error) {
      this.options.logger.warn({ err: error, indexId }, 'constituents refresh failed');
    } finally {
      this.#timers.delete(indexId);
    }
    const stale = behind ? (this.#staleReads.get(indexId) ?? 0) + 1 : 0;
    this.#staleReads.set(indexId, stale);
    if (behind && stale <= MAX_STALE_RETRIES) this.levelArrived(indexId);
  }
}
