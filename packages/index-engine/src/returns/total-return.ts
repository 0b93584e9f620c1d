import { type Dec, LevelDec } from '../decimal.js';

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

/**
 * One live S&P step, the only place a published total-return level is computed:
 * TR = TR_base × (L + dividend points since the base) / L_base, to 34 significant digits
 * (`LevelDec`), for the gross and the net series alike.
 */
export function totalReturnLevel(base: Dec, level: Dec, dividendPoints: Dec, levelBase: Dec): Dec {
  return LevelDec.div(base.times(level.plus(dividendPoints)), levelBase) as unknown as Dec;
}
