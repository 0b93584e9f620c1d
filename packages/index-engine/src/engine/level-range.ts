import { rangeProblem } from '../bounded-decimal.js';
import { DIVISOR_BOUND, LEVEL_BOUND } from '../bounds.js';
import { type Dec, formatPlain } from '../decimal.js';
import { fromScaled, MARKET_VALUE_DECIMALS } from '../fixed-point.js';

/** Market values (× 10^44) whose level over one divisor stays within LEVEL_BOUND, both ends included. */
export interface MarketValueWindow {
  readonly min: bigint;
  readonly max: bigint;
}

const MV_SCALE = `1e${MARKET_VALUE_DECIMALS}`;

/**
 * Precomputed once per divisor, so the hot path checks a level's range with two BigInt
 * comparisons on the market value instead of a division.
 */
export function marketValueWindow(divisor: Dec): MarketValueWindow {
  return {
    min: BigInt(LEVEL_BOUND.min.times(divisor).times(MV_SCALE).ceil().toFixed()),
    max: BigInt(LEVEL_BOUND.max.times(divisor).times(MV_SCALE).floor().toFixed()),
  };
}

/** Why a market value over a divisor gives a level outside LEVEL_BOUND, or null when it does not. */
export function levelProblem(
  marketValueScaled: bigint,
  divisor: Dec,
  window: MarketValueWindow,
): string | null {
  if (marketValueScaled >= window.min && marketValueScaled <= window.max) return null;
  const level = fromScaled(marketValueScaled, MARKET_VALUE_DECIMALS).div(divisor);
  return `the level would be ${level.toSignificantDigits(12).toString()}, outside [${LEVEL_BOUND.min.toString()}, ${LEVEL_BOUND.max.toString()}]`;
}

/** Why the divisor fixed from `initialLevel` at this market value would leave DIVISOR_BOUND, or null. */
export function baseDivisorProblem(marketValueScaled: bigint, initialLevel: Dec): string | null {
  const divisor = fromScaled(marketValueScaled, MARKET_VALUE_DECIMALS).div(initialLevel);
  const problem = rangeProblem(divisor, DIVISOR_BOUND);
  return problem === null
    ? null
    : `the divisor would be ${formatPlain(divisor.toSignificantDigits(12))}, which ${problem}`;
}
