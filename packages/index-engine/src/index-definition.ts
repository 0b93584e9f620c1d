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
}
