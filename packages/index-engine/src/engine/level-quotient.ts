import type { Dec } from '../decimal.js';
import { LEVEL_DECIMALS, MARKET_VALUE_DECIMALS, pow10, quotientHalfEven, toScaled } from '../fixed-point.js';

/** Bits of the fixed-point reciprocal; market values below 2^(SHIFT − GUARD) take the fast path. */
const SHIFT = 320;
const SHIFT_N = BigInt(SHIFT);
const GUARD = 64;
const FAST_LIMIT = 1n << BigInt(SHIFT - GUARD);
const HALF = 1n << (SHIFT_N - 1n);
/** Fractions within 2^(SHIFT − GUARD) below one half are too close to call from the reciprocal. */
const LOW_LIMIT = HALF - (1n << BigInt(SHIFT - GUARD));

/**
 * The level L = MV / D for one divisor, as the integer L × 10^24 rounded half-even: exactly the
 * value `Dec` division to 24 decimal places with ROUND_HALF_EVEN gives, on every input.
 *
 * With MV = mv / 10^44 and D = d / 10^s (both exact), L × 10^24 = mv × num / den where num and
 * den are powers of ten times d. Whenever the divisor changes, R = floor(2^320 × num / den) is
 * precomputed; a tick then costs one multiplication: t = mv × R. For mv < 2^256, t / 2^320
 * is below the true quotient by less than 2^−64 of a unit in the 24th place, so the integer part
 * and the top fraction bits of t decide the rounding, except when the fraction lies within that
 * error just below one half: only then (and for mv ≥ 2^256) is the exact quotient and remainder
 * computed with a BigInt division. An exact tie rounds to even.
 */
export class LevelQuotient {
  readonly #num: bigint;
  readonly #den: bigint;
  readonly #reciprocal: bigint;

  constructor(divisor: Dec) {
    const places = divisor.decimalPlaces();
    const d = toScaled(divisor, places)!;
    // L × 10^24 = (mv / 10^44) / (d / 10^places) × 10^24 = mv × 10^places / (d × 10^20).
    const exponent = places - (MARKET_VALUE_DECIMALS - LEVEL_DECIMALS);
    this.#num = exponent >= 0 ? pow10(exponent) : 1n;
    this.#den = exponent >= 0 ? d : d * pow10(-exponent);
    this.#reciprocal = (this.#num << SHIFT_N) / this.#den;
  }

  /** L × 10^24, rounded half-even, for a market value scaled by 10^44. */
  levelOf(marketValue: bigint): bigint {
    if (marketValue < FAST_LIMIT && marketValue >= 0n) {
      const t = marketValue * this.#reciprocal;
      const fraction = BigInt.asUintN(SHIFT, t);
      if (fraction < LOW_LIMIT) return t >> SHIFT_N;
      if (fraction > HALF) return (t >> SHIFT_N) + 1n;
    }
    return this.exactLevelOf(marketValue);
  }

  /** The same value by exact division: the reference the fast path is checked against. */
  exactLevelOf(marketValue: bigint): bigint {
    return quotientHalfEven(marketValue * this.#num, this.#den);
  }
}
