import { parseDecimal } from './decimal.js';
import { PRICE_DECIMALS, pow10, toScaled } from './fixed-point.js';

/** A parsed tick price at 10^20, or why it was refused. */
export type ScaledPrice = bigint | 'malformed' | 'non_positive' | 'too_many_decimals';

const MAX_FAST_DIGITS = 15;

/**
 * Parses a tick price straight to a BigInt at 10^20 (PRICE_DECIMALS). Plain decimal strings
 * (`\d{1,15}(\.\d{1,20})?`) take a scan without decimal.js; anything else (blanks, a sign,
 * exponents, long integer parts) goes through `parseDecimal`, so malformed and non-positive
 * prices are refused exactly as before. A price with more than 20 significant decimal places
 * cannot be held exactly and is refused as `too_many_decimals`.
 */
export function parseScaledPrice(text: string): ScaledPrice {
  const length = text.length;
  let intDigits = 0;
  let fracDigits = -1;
  let small = 0;
  let i = 0;
  for (; i < length; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (fracDigits < 0) intDigits += 1;
      else fracDigits += 1;
      small = small * 10 + (c - 48);
    } else if (c === 46 && fracDigits < 0) {
      fracDigits = 0;
    } else {
      break;
    }
  }
  if (
    i === length &&
    intDigits >= 1 &&
    intDigits <= MAX_FAST_DIGITS &&
    fracDigits !== 0 &&
    fracDigits <= PRICE_DECIMALS
  ) {
    const places = Math.max(fracDigits, 0);
    let scaled: bigint;
    if (intDigits + places <= MAX_FAST_DIGITS) {
      // At most 15 digits: `small` is an exact integer below 2^53.
      scaled = BigInt(small) * pow10(PRICE_DECIMALS - places);
    } else {
      const digits = places === 0 ? text : text.slice(0, intDigits) + text.slice(intDigits + 1);
      scaled = BigInt(digits) * pow10(PRICE_DECIMALS - places);
    }
    return scaled > 0n ? scaled : 'non_positive';
  }
  const value = parseDecimal(text);
  if (value === null) return 'malformed';
  if (value.lte(0)) return 'non_positive';
  return toScaled(value, PRICE_DECIMALS) ?? 'too_many_decimals';
}
