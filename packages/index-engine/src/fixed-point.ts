import type { Dec as DecType } from './decimal.js';
import { Dec } from './decimal.js';

/**
 * Scaled integers for the per-tick hot path: a value v is held as the BigInt v × 10^decimals, so
 * sums and products are exact integer arithmetic (cheap) instead of decimal.js operations. Every
 * scale is fixed, so a product's scale is the sum of its factors' scales and never needs rounding.
 */

/** Price scale: exact-mode reference prices are already quantised to 20 dp (EXACT_PRICE_DECIMALS). */
export const PRICE_DECIMALS = 20;
/** FX scale: cross rates are quantised to 12 dp; a quoted rate with more decimals is refused. */
export const FX_DECIMALS = 12;
/** Index-share scale: definitions and actions with more decimals are refused; ex-date factors round half-even. */
export const SHARES_DECIMALS = 12;
/** FX × shares, kept per constituent so a tick is one multiplication. */
export const FX_SHARES_DECIMALS = FX_DECIMALS + SHARES_DECIMALS;
/** Market value P × FX × q: 20 + 12 + 12 decimal places, exact. */
export const MARKET_VALUE_DECIMALS = PRICE_DECIMALS + FX_DECIMALS + SHARES_DECIMALS;
/** Published levels are computed to 24 decimal places, rounded half-even (see `LevelQuotient`). */
export const LEVEL_DECIMALS = 24;

const POW10: bigint[] = [];
for (let i = 0, p = 1n; i <= 160; i += 1, p *= 10n) POW10.push(p);

/** 10^n as a BigInt (cached up to 10^160). */
export function pow10(n: number): bigint {
  return POW10[n] ?? 10n ** BigInt(n);
}

/** The integer value × 10^decimals, or null when the value has more decimal places (never rounds). */
export function toScaled(value: DecType, decimals: number): bigint | null {
  if (!value.isFinite() || value.decimalPlaces() > decimals) return null;
  const text = value.toFixed(decimals);
  return BigInt(decimals === 0 ? text : text.replace('.', ''));
}

/** Like `toScaled`, for values already known to fit; a value that does not is a broken invariant. */
export function mustScale(value: DecType, decimals: number, what: string): bigint {
  const scaled = toScaled(value, decimals);
  if (scaled === null) throw new Error(`${what} ${value.toFixed()} has more than ${decimals} decimal places`);
  return scaled;
}

/** The plain decimal text of scaled / 10^decimals, with all `decimals` places (no rounding). */
export function scaledToPlain(scaled: bigint, decimals: number): string {
  const negative = scaled < 0n;
  let digits = (negative ? -scaled : scaled).toString();
  if (decimals > 0) {
    if (digits.length <= decimals) digits = '0'.repeat(decimals - digits.length + 1) + digits;
    const cut = digits.length - decimals;
    digits = `${digits.slice(0, cut)}.${digits.slice(cut)}`;
  }
  return negative ? `-${digits}` : digits;
}

/**
 * n / d rounded half-even (d > 0), on exact integers: the one rounding of every published
 * quotient (levels, contributions, weights, change %).
 */
export function quotientHalfEven(n: bigint, d: bigint): bigint {
  const negative = n < 0n;
  const magnitude = negative ? -n : n;
  let q = magnitude / d;
  const twice = (magnitude - q * d) * 2n;
  if (twice > d || (twice === d && (q & 1n) === 1n)) q += 1n;
  return negative ? -q : q;
}

/** The exact `Dec` of scaled / 10^decimals. */
export function fromScaled(scaled: bigint, decimals: number): DecType {
  return new Dec(scaledToPlain(scaled, decimals));
}

/**
 * scaled / 10^scale as a plain string with exactly `decimals` places, rounded half-up (ties away
 * from zero), digit for digit what `formatFixed(fromScaled(scaled, scale), decimals)` gives.
 */
export function formatScaledFixed(scaled: bigint, scale: number, decimals: number): string {
  if (decimals >= scale) return scaledToPlain(scaled * pow10(decimals - scale), decimals);
  const negative = scaled < 0n;
  const magnitude = negative ? -scaled : scaled;
  const unit = pow10(scale - decimals);
  let q = magnitude / unit;
  if ((magnitude - q * unit) * 2n >= unit) q += 1n;
  const text = scaledToPlain(q, decimals);
  return negative ? `-${text}` : text;
}
