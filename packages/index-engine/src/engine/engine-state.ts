import type { FxBook } from '../fx/fx-book.js';
import type { ConstituentBook, IndexBook } from './index-book.js';

/** A symbol's last accepted price, whether or not any index holds it (a later `add` may need it). */
export interface SymbolState {
  /** Last price × 10^20 (PRICE_DECIMALS). */
  lastPrice: bigint | null;
  lastEventTime: number;
  lastSequence: number | undefined;
}

export interface Membership {
  readonly book: IndexBook;
  readonly constituent: ConstituentBook;
}

/** The engine's mutable state, shared by the event handlers. */
export interface EngineState {
  readonly books: Map<string, IndexBook>;
  /** symbol → the indices holding it; a tick touches only these. */
  readonly routing: Map<string, Membership[]>;
  readonly symbols: Map<string, SymbolState>;
  readonly fx: FxBook;
  /** Time of the last applied event; events must not go back before it. */
  lastEventTime: number;
  tradingDate: string | null;
  /** Epoch-ms bounds of `tradingDate`; an event outside them rolls the date first. */
  dayStart: number;
  dayEnd: number;
  /**
   * Ids of the adjustments applied at `time`. A re-delivered adjustment has its original event
   * time, so it can only get past the out-of-order check while nothing later was applied: these
   * are the only ids that must be remembered to apply each adjustment at most once.
   */
  adjustments: { time: number; ids: Set<string> };
}

export function addRoute(state: EngineState, book: IndexBook, constituent: ConstituentBook): void {
  const list = state.routing.get(constituent.symbol);
  if (list) list.push({ book, constituent });
  else state.routing.set(constituent.symbol, [{ book, constituent }]);
}

export function removeRoute(state: EngineState, book: IndexBook, symbol: string): void {
  const list = state.routing.get(symbol);
  if (!list) return;
  const kept = list.filter((m) => m.book !== book);
  if (kept.length === 0) state.routing.delete(symbol);
  else state.routing.set(symbol, kept);
}
