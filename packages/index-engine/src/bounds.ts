import { Dec } from './decimal.js';
import { FX_DECIMALS, PRICE_DECIMALS, SHARES_DECIMALS } from './fixed-point.js';
import type { DecimalTextBounds } from './number-grammar.js';

/**
 * Every number the engine accepts from outside has a documented range (docs/replay-contract.md,
 * "Bounds"). The ranges keep each product exact in the fixed scales of fixed-point.ts and every published level
 * printable with meaning at 10 decimal places; a value outside is refused with a reason, never
 * clamped, so nothing can silently bend an index.
 */
export interface NumberBound extends DecimalTextBounds {
  /** What the value is, for messages ("price", "FX rate"). */
  readonly name: string;
  /** Smallest accepted value (inclusive); when it is positive, a value ≤ 0 is refused as non-positive. */
  readonly min: Dec;
  /** Largest accepted value (inclusive). */
  readonly max: Dec;
}

/** Written form of any bounded number: long enough for 1e9 with 40 decimals, short enough to scan at once. */
const MAX_TEXT = 64;

function bound(name: string, min: string, max: string, maxFractionDigits: number): NumberBound {
  const maxDec = new Dec(max);
  return {
    name,
    min: new Dec(min),
    max: maxDec,
    maxLength: MAX_TEXT,
    maxIntegerDigits: maxDec.trunc().toFixed().length,
    maxFractionDigits,
  };
}

/** A tick price: at most 1e9 in its currency, at most 20 decimal places (PRICE_DECIMALS). */
export const PRICE_BOUND = bound('price', `1e-${PRICE_DECIMALS}`, '1e9', PRICE_DECIMALS);
/**
 * A quoted FX rate and every rate derived from quotes (CNYHKD inverted, USDCNY/USDHKD crossed):
 * within [1e-6, 1e6], at most 12 decimal places (FX_DECIMALS), so a derived rate never rounds to 0.
 */
export const FX_RATE_BOUND = bound('FX rate', '1e-6', '1e6', FX_DECIMALS);
/** Index shares (shares × capFactor): positive, at most 1e15, at most 12 decimal places. */
export const SHARES_BOUND = bound('shares', `1e-${SHARES_DECIMALS}`, '1e15', SHARES_DECIMALS);
/** A cap factor: in (0, 1], at most 12 decimal places. */
export const CAP_FACTOR_BOUND = bound('capFactor', `1e-${SHARES_DECIMALS}`, '1', SHARES_DECIMALS);
/** The level an index starts at: within [0.01, 1e9], at most 10 decimal places (what levels.csv prints). */
export const INITIAL_LEVEL_BOUND = bound('initialLevel', '0.01', '1e9', 10);
/**
 * A divisor, given or derived (market value / initial level, or adjusted by an action): within
 * [1e-12, 1e40]. The widest market value (1e9 × 1e6 × 1e15 per constituent) over the smallest
 * initial level still fits.
 */
export const DIVISOR_BOUND = bound('divisor', '1e-12', '1e40', 40);
/** A published level: within [1e-6, 1e12], so 10 printed decimal places keep at least 4 significant digits. */
export const LEVEL_BOUND = bound('level', '1e-6', '1e12', 24);
/** The FX filter's jump band (`--fx-max-jump`), a fraction of the last rate: within [1e-12, 1e6]. */
export const MAX_JUMP_BOUND = bound('maxJump', '1e-12', '1e6', 12);
/** A withholding rate on dividends: within [0, 1]. */
export const WITHHOLDING_BOUND = bound('withholdingRate', '0', '1', 12);
/** A corporate action's ratio (split, bonus, rights): within [1e-12, 1e6], at most 20 decimal places. */
export const ACTION_RATIO_BOUND = bound('ratio', '1e-12', '1e6', 20);
/** A corporate action's cash amount per share: a price (PRICE_BOUND's range and scale). */
export const ACTION_AMOUNT_BOUND: NumberBound = { ...PRICE_BOUND, name: 'amount' };

/** The bound of each numeric field of a corporate action. */
export const ACTION_FIELD_BOUNDS: Readonly<Record<'ratio' | 'price' | 'amount' | 'shares', NumberBound>> = {
  ratio: ACTION_RATIO_BOUND,
  price: PRICE_BOUND,
  amount: ACTION_AMOUNT_BOUND,
  shares: SHARES_BOUND,
};
