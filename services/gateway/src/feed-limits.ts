// Bounds on what one client or desk can make the gateway hold: only known index ids, so many
// subscriptions per session, so many connections per desk. Without them a desk entitled to `*`
// could grow the gateway without limit (one map entry per made-up id) or open sockets by the
// hundred.
import type { FeedHub } from './feed-hub.js';
import { GatewayError } from './gateway-errors.js';

export interface FeedLimits {
  /** Is this an index the gateway serves (a level seen, or in the calculator's projection)? */
  isKnownIndex(indexId: string): boolean;
  readonly maxSubscriptionsPerSession: number;
  readonly maxConnectionsPerDesk: number;
  /** Counts each refusal by reason (metrics). */
  onRefused?(reason: 'unknown_index' | 'too_many_subscriptions' | 'too_many_connections'): void;
}

export class TooManySubscriptionsError extends GatewayError {
  constructor(
    readonly limit: number,
    readonly requested: number,
  ) {
    super(`a session may hold at most ${limit} subscriptions; this request would make ${requested}`, {
      statusCode: 429,
      code: 'too_many_subscriptions',
    });
  }
}

export class TooManyConnectionsError extends GatewayError {
  constructor(
    readonly desk: string,
    readonly limit: number,
  ) {
    super(`desk ${desk} already has ${limit} open feed connections (the limit); close one first`, {
      statusCode: 429,
      code: 'too_many_connections',
    });
  }
}

/**
 * The index ids the gateway knows: those with a level in the hub, plus those of the calculator's
 * projection, re-read every `refreshMs` (an index may be defined and have no level yet, before
 * the open).
 */
export class KnownIndices {
  readonly #hub: FeedHub;
  readonly #read: () => Promise<readonly string[]>;
  #projected: ReadonlySet<string> = new Set();
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(hub: FeedHub, read: () => Promise<readonly string[]>) {
    this.#hub = hub;
    this.#read = read;
  }

  has(indexId: string): boolean {
    return this.#hub.latest(indexId) !== undefined || this.#projected.has(indexId);
  }

  /** Reads the projection now and then every `refreshMs`; a failed read keeps the last set. */
  async start(refreshMs: number, onError: (error: unknown) => void): Promise<void> {
    await this.#refresh(onError);
    this.#timer = setInterval(() => void this.#refresh(onError), refreshMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  async #refresh(onError: (error: unknown) => void): Promise<void> {
    try {
      this.#projected = new Set(await this.#read());
    } catch (error) {
      onError(error);
    }
  }
}
