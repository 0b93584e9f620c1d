import type { Dec } from '../decimal.js';

export type TotalReturnConvention = 'sp' | 'nse';

/**
 * Chains a total-return series from daily price-index closes and indexed dividends (points):
 * S&P: TR_t = TR_(t−1) × (PR_t + ID_t) / PR_(t−1); NSE: TR_t = (TR_(t−1) + ID_t) × PR_t / PR_(t−1).
 * The first TR equals `start`.
 */
export function chainTotalReturn(
  priceCloses: readonly Dec[],
  indexDividends: readonly Dec[],
  start: Dec,
  convention: TotalReturnConvention,
): Dec[] {
  const out: Dec[] = [start];
  for (let t = 1; t < priceCloses.length; t += 1) {
    const previous = out[t - 1]!;
    const dividend = indexDividends[t]!;
    const pr = priceCloses[t]!;
    const prPrevious = priceCloses[t - 1]!;
    out.push(
      convention === 'sp'
        ? previous.times(pr.plus(dividend)).div(prPrevious)
        : previous.plus(dividend).times(pr).div(prPrevious),
    );
  }
  return out;
}
