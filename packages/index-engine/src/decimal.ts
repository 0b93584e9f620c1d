import { Decimal } from 'decimal.js';

/**
 * The engine's own decimal context. A private clone means no other code's `Decimal.set()` can
 * change index math. 80 significant digits keep every sum of products of prices, FX rates and
 * index shares exact, so the incremental market value equals a full recomputation digit for digit.
 */
export const Dec = Decimal.clone({
  precision: 80,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -30,
  toExpPos: 40,
});
export type Dec = InstanceType<typeof Dec>;

/**
 * Quotients of the cold paths (contributions, weights, total-return levels) are computed to 34
 * significant digits (the IEEE decimal128 width) with a fixed rounding mode, so the same inputs
 * always give the same digits. The price level itself is not computed here: the hot path divides
 * exact scaled BigInts and rounds the level half-even to 24 decimal places (LEVEL_DECIMALS in
 * fixed-point.ts, see engine/level-quotient.ts) — identical to `Dec` division rounded to 24 dp.
 */
export const LevelDec = Decimal.clone({
  precision: 34,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -30,
  toExpPos: 40,
});

/** Decimal places kept when an ex-rights reference price is a repeating decimal ("exact" mode). */
export const EXACT_PRICE_DECIMALS = 20;

/** Decimal places of a derived cross FX rate (USDCNY / USDHKD). */
export const CROSS_RATE_DECIMALS = 12;

export const ZERO = new Dec(0);
export const ONE = new Dec(1);

const DECIMAL_PATTERN = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a decimal string strictly: no hex, no NaN, no Infinity, no blanks. Returns null if malformed. */
export function parseDecimal(text: string | number): Dec | null {
  if (typeof text === 'number') {
    return Number.isFinite(text) ? new Dec(text) : null;
  }
  const trimmed = text.trim();
  if (!DECIMAL_PATTERN.test(trimmed)) return null;
  return new Dec(trimmed);
}

/** A plain (never exponential) decimal string with exactly `decimals` places, half-up. */
export function formatFixed(value: Dec, decimals: number): string {
  return value.toFixed(decimals, Decimal.ROUND_HALF_UP);
}

/** A plain decimal string with no trailing zeros, for state snapshots and wire records. */
export function formatPlain(value: Dec): string {
  return value.toFixed();
}

/**
 * Whether two decimal texts are the same number ("1.50" and "1.5"): a published figure checked
 * against one recomputed from its inputs. Throws on malformed text, as `new Dec` does.
 */
export function sameDecimalText(a: string, b: string): boolean {
  return new Dec(a).eq(new Dec(b));
}

/** A fraction of 1 (a weight) in percent, exact and plain: "0.123456" → "12.3456". */
export function percentOfFraction(fraction: string): string {
  return formatPlain(new Dec(fraction).times(100));
}
