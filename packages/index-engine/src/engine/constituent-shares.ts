// Each constituent's share of a level (price, FX, index shares, contribution, weight) as exact
// decimal text, with the official close's precision and rounding: 24 decimal places, half-even,
// from the exact scaled integers. Levels and closes use these same functions, so a level's
// contributions and the close's agree digit for digit for the same state.
import {
  FX_DECIMALS,
  LEVEL_DECIMALS,
  PRICE_DECIMALS,
  pow10,
  quotientHalfEven,
  SHARES_DECIMALS,
  scaledToPlain,
} from '../fixed-point.js';
import type { ConstituentContribution, LevelTrigger } from '../index-level.js';
import { plainOfScaled } from '../plain-text.js';
import type { ConstituentBook, IndexBook } from './index-book.js';

/**
 * Which constituents a level carries: none; those whose price or FX the event moved (every
 * constituent on the index's first level of a trading day and on adjustment levels, whose divisor
 * changes every contribution); or all of them on every level.
 */
export const CONTRIBUTIONS_MODES = ['none', 'moved', 'all'] as const;
export type ContributionsMode = (typeof CONTRIBUTIONS_MODES)[number];

/** Index points (or a weight) × 10^24 as plain text with all 24 places. */
export const points = (scaled: bigint): string => scaledToPlain(scaled, LEVEL_DECIMALS);

const WEIGHT_SCALE = pow10(LEVEL_DECIMALS);

/** MV / ΣMV × 10^24, half-even, from market values × 10^44; 0 when ΣMV is 0. */
export function weightScaled(marketValue: bigint, total: bigint): bigint {
  return total === 0n ? 0n : quotientHalfEven(marketValue * WEIGHT_SCALE, total);
}

/** One priced constituent of a based book, at the book's current divisor and market value. */
export function constituentShare(book: IndexBook, c: ConstituentBook): ConstituentContribution {
  return {
    symbol: c.symbol,
    price: plainOfScaled(c.priceScaled!, PRICE_DECIMALS),
    fxRate: plainOfScaled(c.fxScaled!, FX_DECIMALS),
    indexShares: plainOfScaled(c.sharesScaled, SHARES_DECIMALS),
    contribution: points(book.pointsOf(c.marketValueScaled)),
    weight: points(weightScaled(c.marketValueScaled, book.marketValueScaled)),
  };
}

const bySymbol = (a: ConstituentBook, b: ConstituentBook) =>
  a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0;

/** The constituents a level carries, ordered by symbol (see `ContributionsMode`); null for none. */
export function levelConstituents(
  book: IndexBook,
  mode: ContributionsMode,
  moved: {
    readonly firstOfDay: boolean;
    readonly trigger: LevelTrigger;
    readonly symbol: string | undefined;
  },
): readonly ConstituentContribution[] | null {
  if (mode === 'none') return null;
  if (mode === 'all' || moved.firstOfDay || moved.trigger === 'index-adjustment') {
    const all = [...book.constituents.values()].sort(bySymbol);
    return all.map((c) => constituentShare(book, c));
  }
  if (moved.trigger === 'tick') {
    const c = moved.symbol === undefined ? undefined : book.constituents.get(moved.symbol);
    return c === undefined ? [] : [constituentShare(book, c)];
  }
  if (moved.trigger === 'fx-rate') {
    const hkd = [...book.constituents.values()].filter((c) => c.currency === 'HKD').sort(bySymbol);
    return hkd.map((c) => constituentShare(book, c));
  }
  // A session-close level moves no input.
  return [];
}
