import type { Dec } from './decimal.js';
import type { FxObservation } from './fx/fx-book.js';

export type LevelTrigger = 'tick' | 'fx-rate' | 'index-adjustment' | 'session-close';

/**
 * One constituent's share of a level, as exact decimal text: price, FX and index shares as held
 * (plain), contribution and weight 24 dp half-even, as in the official close.
 */
export interface ConstituentContribution {
  readonly symbol: string;
  readonly price: string;
  /** CNY per unit of the constituent's currency ("1" for CNY). */
  readonly fxRate: string;
  readonly indexShares: string;
  /** P × FX × q / D, in index points. */
  readonly contribution: string;
  /** P × FX × q / Σ(P × FX × q), a fraction of 1. */
  readonly weight: string;
}

/**
 * One published index level, emitted after applying the event that changed the index's inputs.
 * The engine emits `LevelRecord`s, whose `Dec` fields are computed on first access from exact
 * scaled integers; `formatLevelFixed` formats the level without decimal.js.
 */
export interface IndexLevel {
  readonly indexId: string;
  /** Time of the triggering event (epoch ms). */
  readonly eventTime: number;
  /** Gap-free per-index sequence, starting at 1. */
  readonly sequence: number;
  /** MV / D rounded half-even to 24 decimal places (exact inputs, one deterministic rounding). */
  readonly level: Dec;
  /** The exact divisor (up to 80 significant digits, never rounded below that). */
  readonly divisor: Dec;
  /** Σ P × FX × q, exact. */
  readonly marketValue: Dec;
  readonly trigger: LevelTrigger;
  /** The symbol whose tick triggered the level, if any. */
  readonly symbol?: string;
  /**
   * The index's previous official close (24 dp): the last close before this trading date, or on
   * the first date the close its definition gives (`previousClose`, else the base value on the
   * base date); null when there is none. `levelChange` gives the change against it.
   */
  readonly prevClose: Dec | null;
  readonly open: Dec;
  readonly high: Dec;
  readonly low: Dec;
  /** The HKDCNY observation used, when the index holds HKD constituents. */
  readonly fxObservationId: string | null;
  /** That observation's rate and time (same object for every level that used it). */
  readonly fxObservation?: FxObservation | null;
  /** True when an HKD constituent is priced with an FX rate older than the configured age. */
  readonly fxStale: boolean;
  readonly totalReturnLevel: Dec | null;
  readonly netTotalReturnLevel: Dec | null;
  /**
   * Constituents' shares, ordered by symbol: with `contributions: 'moved'` those whose price or FX
   * this level's event moved (every constituent on the index's first level of a trading day and on
   * adjustment levels), with `'all'` every one; null with `'none'` (the default).
   */
  readonly contributions: readonly ConstituentContribution[] | null;
}
