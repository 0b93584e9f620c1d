import { Decimal } from 'decimal.js';
import { type Dec, EXACT_PRICE_DECIMALS, ONE, ZERO } from '../decimal.js';

export interface ExRightsInputs {
  readonly prevClose: Dec;
  /** Regular cash dividend per share. */
  readonly cashDividend?: Dec;
  /** Special dividend per share (divisor-adjusted, unlike the regular one). */
  readonly specialDividend?: Dec;
  /** Bonus/capitalisation shares per share (送股 + 转增). */
  readonly bonusRatio?: Dec;
  /** Rights shares per share (配股) and their subscription price. */
  readonly rightsRatio?: Dec;
  readonly rightsPrice?: Dec;
  /** Split factor: each share becomes `splitRatio` shares. */
  readonly splitRatio?: Dec;
}

export type ReferencePriceRounding = 'exact' | 'exchange';

export interface ExRightsPrices {
  /** Factor applied to index shares: splitRatio × (1 + bonus + rights). */
  readonly shareFactor: Dec;
  /**
   * The exchange's 除权（息）参考价: [(Pc − cash − special) + S·k] / factor. The symbol trades
   * from it, so it is the price the index uses until the next trade.
   */
  readonly exchangePrice: Dec;
  /**
   * The index-purpose price that leaves the regular cash dividend out, so the divisor does not
   * neutralise it (除息不修正): [(Pc − special) + S·k] / factor.
   */
  readonly indexPurposePrice: Dec;
}

function quantise(value: Dec, rounding: ReferencePriceRounding): Dec {
  return rounding === 'exchange'
    ? value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP)
    : value.toDecimalPlaces(EXACT_PRICE_DECIMALS, Decimal.ROUND_HALF_EVEN);
}

/**
 * Returns the ex-rights reference prices of SSE/SZSE trading rules. `exchange` rounds half-up to
 * 0.01 as the exchange publishes it; `exact` keeps 20 decimal places, exact for every terminating case.
 */
export function exRightsPrices(
  inputs: ExRightsInputs,
  rounding: ReferencePriceRounding = 'exact',
): ExRightsPrices {
  const cash = inputs.cashDividend ?? ZERO;
  const special = inputs.specialDividend ?? ZERO;
  const bonus = inputs.bonusRatio ?? ZERO;
  const rights = inputs.rightsRatio ?? ZERO;
  const subscription = (inputs.rightsPrice ?? ZERO).times(rights);
  const split = inputs.splitRatio ?? ONE;
  const shareFactor = split.times(ONE.plus(bonus).plus(rights));
  const base = inputs.prevClose.minus(special).plus(subscription);
  return {
    shareFactor,
    exchangePrice: quantise(base.minus(cash).div(shareFactor), rounding),
    indexPurposePrice: quantise(base.div(shareFactor), rounding),
  };
}

/** The exchange reference price of TV3 both unrounded (to the context precision) and rounded to 0.01. */
export function exchangeReferencePrice(inputs: ExRightsInputs): { exact: Dec; rounded: Dec } {
  const cash = inputs.cashDividend ?? ZERO;
  const rights = inputs.rightsRatio ?? ZERO;
  const factor = (inputs.splitRatio ?? ONE).times(ONE.plus(inputs.bonusRatio ?? ZERO).plus(rights));
  const exact = inputs.prevClose
    .minus(cash)
    .minus(inputs.specialDividend ?? ZERO)
    .plus((inputs.rightsPrice ?? ZERO).times(rights))
    .div(factor);
  return { exact, rounded: exact.toDecimalPlaces(2, Decimal.ROUND_HALF_UP) };
}
