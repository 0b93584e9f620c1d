import { Dec } from '../decimal.js';

export interface WeightTarget {
  readonly id: string;
  readonly weight: Dec;
  /** Reference price in the constituent's currency. */
  readonly price: Dec;
  /** CNY per unit of the constituent's currency (1 for CNY). */
  readonly fxRate: Dec;
}

/**
 * Index shares and divisor from target weights at reference prices (S&P AWF style):
 * q_i = w_i × M / (P_i × FX_i) and D = M / L, so the level equals `level` at those prices.
 * With `sharesDecimals`, each q_i is rounded half-even to that many places (a vendor publishes
 * whole or few-decimal index shares; the divisor then sets the level, not the shares).
 */
export function sharesFromWeights(
  targets: readonly WeightTarget[],
  notional: Dec,
  level: Dec,
  options: { readonly sharesDecimals?: number } = {},
): { shares: Array<{ id: string; indexShares: Dec }>; divisor: Dec } {
  const round = (q: Dec) =>
    options.sharesDecimals === undefined ? q : q.toDecimalPlaces(options.sharesDecimals, Dec.ROUND_HALF_EVEN);
  return {
    shares: targets.map((t) => ({
      id: t.id,
      indexShares: round(t.weight.times(notional).div(t.price.times(t.fxRate))),
    })),
    divisor: notional.div(level),
  };
}
