import type { ReferencePriceRounding } from './corporate-actions/reference-price.js';

export interface ConstituentDefinition {
  readonly symbol: string;
  /** Index shares as a decimal string (free float, tiered inclusion and cap factor folded in unless `capFactor` is given). */
  readonly shares: string;
  /** Overrides the currency implied by the suffix (.SH/.SZ CNY, .HK HKD). */
  readonly currency?: string;
  /** Optional weight/cap factor in (0, 1]; index shares = shares × capFactor. */
  readonly capFactor?: string;
}

export interface IndexDefinition {
  readonly id: string;
  /** Index currency; only CNY is supported (HKD constituents are converted with HKDCNY). */
  readonly currency?: string;
  /** The level at the first moment every constituent is priced; fixes the divisor then. */
  readonly initialLevel?: string;
  /** A given divisor, instead of `initialLevel`. */
  readonly divisor?: string;
  readonly constituents: readonly ConstituentDefinition[];
  /** Ex-rights reference prices: exact (default) or the exchange's 0.01-rounded price. */
  readonly referencePriceRounding?: ReferencePriceRounding;
  /** Also compute a total-return (and net total-return) variant that reinvests regular cash dividends. */
  readonly totalReturn?: { readonly withholdingRate?: string };
  /** When and how the official close is taken (see `CloseSpec`); defaults apply when absent. */
  readonly close?: CloseSpec;
  /**
   * The base date (YYYY-MM-DD) whose closes the constituents' reference prices are. With
   * `initialLevel` (the base value) and no `previousClose`, the base value is the previous close
   * of the first trading date computed after it.
   */
  readonly referenceDate?: string;
  /** The index's official close on a date before its first computed one (see `PreviousClose`). */
  readonly previousClose?: PreviousClose;
}

/**
 * A previous official close given with the definition: the `change` and % of the first trading
 * date the engine opens after `date` are against `level`, and so is that date's close record's
 * `prevClose`. After the engine's own first close, its own closes take over.
 */
export interface PreviousClose {
  /** The trading date of that close, YYYY-MM-DD. */
  readonly date: string;
  /** The close, a decimal string within LEVEL_BOUND. */
  readonly level: string;
}

/**
 * The official close of an index. `time` is the local Asia/Shanghai time (`HH:MM` or
 * `HH:MM:SS`) whose state is the close: every event at or before it counts, none after. Without
 * it the market calendar places the close: after the A-share closing auction (15:00) while every
 * constituent trades in CNY, after the HK closing auction session (16:10, or 12:10 on an HK half
 * day) while all trade in HKD, and after the later of the two open that day for a cross-market
 * index. `fxFixingSource` names the FX source whose rate of the day is the closing fixing used
 * instead of the streamed rate.
 */
export interface CloseSpec {
  readonly time?: string;
  readonly fxFixingSource?: string;
}
