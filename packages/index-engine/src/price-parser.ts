import { isBoundRefusal, parseBounded } from './bounded-decimal.js';
import { PRICE_BOUND } from './bounds.js';
import { PRICE_DECIMALS, pow10, toScaled } from './fixed-point.js';

/** A parsed tick price at 10^20, or why it was refused. */
export type ScaledPrice = bigint | 'malformed' | 'non_positive' | 'too_many_decimals' | 'out_of_range';

/** PRICE_BOUND's maximum at 10^20, compared on the fast path without decimal.js. */
const MAX_PRICE_SCALED = BigInt(PRICE_BOUND.max.toFixed()) * pow10(PRICE_DECIMALS);

const MAX_FAST_DIGITS = 15;

/**
 * Parses a tick price straight to a BigInt at 10^20 (PRICE_DECIMALS). Plain decimal strings
 * (`\d{1,15}(\.\d{1,20})?`) take a scan without decimal.js; anything else (blanks, a sign,
 * exponents, long integer parts) goes through the bounded grammar (`parseBounded`, PRICE_BOUND),
 * which refuses hostile text such as `1e50000000` before decimal.js sees it. A price with more
 * than 20 significant decimal places cannot be held exactly and is refused as `too_many_decimals`;
 * one above PRICE_BOUND's maximum (1e9) as `out_of_range`.
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
    if (scaled <= 0n) return 'non_positive';
    return scaled <= MAX_PRICE_SCALED ? scaled : 'out_of_range';
  }
  const value = parseBounded(text, PRICE_BOUND);
  if (!isBoundRefusal(value)) return toScaled(value, PRICE_DECIMALS) ?? 'too_many_decimals';
  switch (value.problem) {
    case 'non_positive':
      return 'non_positive';
    case 'too_many_fraction_digits':
      return 'too_many_decimals';
    case 'too_many_integer_digits':
    case 'out_of_range':
      return 'out_of_range';
    default:
      return 'malformed';
  }
}
