// Keeps each subscribed index's desk state (desk-state.ts) and tells its subscribers when it
// changes: a state moves with the clock (a close passes, a feed falls silent) as much as with levels,
// so it is re-evaluated on a timer, not only when a level arrives. New subscribers get the current
// state right after their snapshot.
import { DEFAULT_CALENDAR, type Market, type MarketCalendar } from '@indexflow/market-calendar';
import type { ConstituentsSnapshot } from './constituents.js';
import { type DeskStateView, deskState } from './desk-state.js';
import type { FeedHub } from './feed-hub.js';
import { marketsOfSymbols } from './index-session.js';
import type { ServerMessage } from './protocol.js';

export interface DeskStateOptions {
  /** No level for this long in continuous trading: stale feed (or, for one index, halted). */
  readonly staleAfterMs: number;
  /** How often subscribed indices are re-evaluated (default 1000 ms). */
  readonly intervalMs?: number;
  /** The gateway's clock; the hub must use the same one for arrivals. */
  readonly now?: () => number;
  readonly calendar?: MarketCalendar;
}

export class DeskStateMonitor {
  readonly #hub: FeedHub;
  readonly #options: DeskStateOptions;
  readonly #now: () => number;
  readonly #projected: (indexId: string) => Promise<ConstituentsSnapshot | null>;
  /** Markets of indices whose constituents came from the projection (the hub held none). */
  readonly #projectedMarkets = new Map<string, Market[]>();
  readonly #sent = new Map<string, string>();
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    hub: FeedHub,
    options: DeskStateOptions,
    projected: (indexId: string) => Promise<ConstituentsSnapshot | null>,
  ) {
    this.#hub = hub;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#projected = projected;
    // Not recorded as sent: the index's other subscribers may still hold an older state.
    hub.greetWith((indexId) => {
      const view = this.stateOf(indexId);
      return view === null ? null : message(indexId, view);
    });
  }

  /** The calendar the desk states and sessions are decided by (MARKET_CALENDAR_FILES; default bundled). */
  get calendar(): MarketCalendar {
    return this.#options.calendar ?? DEFAULT_CALENDAR;
  }

  get staleAfterMs(): number {
    return this.#options.staleAfterMs;
  }

  start(): void {
    this.#timer = setInterval(() => void this.tick(), this.#options.intervalMs ?? 1000);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** The markets an index's constituents trade on, from the hub, else the calculator's projection. */
  async marketsOf(indexId: string): Promise<Market[] | null> {
    const known = this.#knownMarkets(indexId);
    if (known !== null) return known;
    const snapshot = await this.#projected(indexId);
    if (snapshot === null) return null;
    const markets = marketsOfSymbols(snapshot.constituents.map((c) => c.symbol));
    this.#projectedMarkets.set(indexId, markets);
    return markets;
  }

  /** The index's state now, or null while its markets are unknown. */
  stateOf(indexId: string, markets = this.#knownMarkets(indexId)): DeskStateView | null {
    if (markets === null || markets.length === 0) return null;
    const now = this.#now();
    const latest = this.#hub.latest(indexId);
    const arrivedAt = this.#hub.arrivedAt(indexId);
    return deskState({
      markets,
      now,
      latest:
        latest === undefined || arrivedAt === undefined ? null : { eventTime: latest.eventTime, arrivedAt },
      feedArrivedAt: this.#hub.lastArrival(),
      staleAfterMs: this.#options.staleAfterMs,
      calendar: this.calendar,
    });
  }

  /** Re-evaluates every subscribed index and publishes the states that changed. */
  async tick(): Promise<void> {
    for (const indexId of this.#hub.subscribedIndexIds()) {
      const markets = await this.marketsOf(indexId).catch(() => null);
      const view = this.stateOf(indexId, markets);
      if (view === null) continue;
      const key = keyOf(view);
      if (this.#sent.get(indexId) === key) continue;
      this.#sent.set(indexId, key);
      this.#hub.publish(indexId, message(indexId, view));
    }
  }

  #knownMarkets(indexId: string): Market[] | null {
    const held = this.#hub.constituents(indexId);
    if (held !== undefined) return marketsOfSymbols(held.constituents.map((c) => c.symbol));
    return this.#projectedMarkets.get(indexId) ?? null;
  }
}

/** What makes a state worth sending again: not the clock, which moves every tick. */
function keyOf(view: DeskStateView): string {
  return `${view.state}|${view.date}|${view.reason === null ? '' : view.reason.replace(/\d+ s/, '')}`;
}

function message(indexId: string, state: DeskStateView): ServerMessage {
  return { type: 'market_state', indexId, state };
}
