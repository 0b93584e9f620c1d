// Exact decimals printed straight from scaled BigInts. The engine computes levels as exact integers
// × 10^24 (market values × 10^44); going through decimal.js only to print them cost a quarter of the
// calculator's CPU (profile of `pnpm bench:e2e`). Each function prints, digit for digit, what the
// decimal.js path prints for the same value (checked by the Kafka record tests on random values).

import { pow10, quotientHalfEven } from './fixed-point.js';

/**
 * scaled / 10^decimals in plain notation without trailing zeros: what decimal.js's `toFixed()`
 * (formatPlain) prints for that exact value ("1000", "1000.5", "0.000125", "-3.2", "0").
 */
export function plainOfScaled(scaled: bigint, decimals: number): string {
  if (scaled === 0n) return '0';
  const negative = scaled < 0n;
  let digits = (negative ? -scaled : scaled).toString();
  if (digits.length <= decimals) digits = '0'.repeat(decimals - digits.length + 1) + digits;
  const cut = digits.length - decimals;
  let end = digits.length;
  while (end > cut && digits.charCodeAt(end - 1) === 48) end -= 1;
  const text = end === cut ? digits.slice(0, cut) : `${digits.slice(0, cut)}.${digits.slice(cut, end)}`;
  return negative ? `-${text}` : text;
}

/**
 * numerator / denominator (denominator > 0) rounded half-even to `digits` significant digits, as
 * plain text: what decimal.js division at that precision and ROUND_HALF_EVEN, then `toFixed()`,
 * prints. decimal.js rounds division correctly, so the exact rational decides, as here.
 */
export function plainOfQuotient(numerator: bigint, denominator: bigint, digits: number): string {
  if (numerator === 0n) return '0';
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  // e: the decimal exponent of the quotient's leading digit, 10^e ≤ |n| / d < 10^(e+1).
  let e = magnitude.toString().length - denominator.toString().length;
  const below = e >= 0 ? magnitude < denominator * pow10(e) : magnitude * pow10(-e) < denominator;
  if (below) e -= 1;
  // q = round(|n| / d × 10^shift), a `digits`-digit integer (10^digits after a carry).
  const shift = digits - 1 - e;
  const num = shift >= 0 ? magnitude * pow10(shift) : magnitude;
  const den = shift >= 0 ? denominator : denominator * pow10(-shift);
  const q = quotientHalfEven(num, den);
  const text = shift >= 0 ? plainOfScaled(q, shift) : plainOfScaled(q * pow10(-shift), 0);
  return negative ? `-${text}` : text;
}
